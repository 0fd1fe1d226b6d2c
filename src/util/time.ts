import { DateTime } from 'luxon';

/** Matches what Kustomer sends (`2016-12-09T22:57:01.074Z`) so the common case skips a full parse. */
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * Normalises a date-time value to RFC3339 UTC with `Z`; returns null for values that are not a date
 * (targets reject non-RFC3339 strings, and a wrong date is worse than a missing one, so callers log it).
 */
export function toRfc3339(value: unknown): string | null {
  if (typeof value === 'string') {
    if (CANONICAL_UTC.test(value)) return value;
    const parsed = DateTime.fromISO(value, { setZone: true });
    return parsed.isValid ? parsed.toUTC().toISO({ suppressMilliseconds: false }) : null;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Kustomer sends epoch milliseconds in a few places (snooze values); seconds would be < 1e11.
    const ms = value < 1e11 ? value * 1000 : value;
    const parsed = DateTime.fromMillis(ms, { zone: 'utc' });
    return parsed.isValid ? parsed.toISO() : null;
  }
  return null;
}

/** Parses a user-supplied instant: RFC3339, or `YYYY-MM-DD` meaning midnight UTC. */
export function parseInstant(value: string): Date | null {
  const trimmed = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const parsed = dateOnly
    ? DateTime.fromISO(trimmed, { zone: 'utc' })
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(trimmed)
      ? DateTime.fromISO(trimmed, { setZone: true })
      : DateTime.invalid('no offset');
  return parsed.isValid ? parsed.toJSDate() : null;
}

export function iso(date: Date | number): string {
  return new Date(date).toISOString();
}

