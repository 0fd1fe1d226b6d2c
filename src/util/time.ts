import type { DateTime as LuxonDateTime } from 'luxon';

/**
 * luxon, loaded on first use: most instants are canonical UTC and never need it, and loading it plus its first
 * parse (which sets up Intl) costs about 40 ms of start-up CPU that `--discover` would pay for `start_date` alone.
 */
let loadedDateTime: typeof LuxonDateTime | undefined;
function luxonDateTime(): typeof LuxonDateTime {
  loadedDateTime ??= (require('luxon') as typeof import('luxon')).DateTime;
  return loadedDateTime;
}

/** Matches what Kustomer sends (`2016-12-09T22:57:01.074Z`) so the common case skips a full parse. */
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * ISO text needs no locale, but a DateTime built without one makes luxon ask Intl for the system's locale
 * (`new Intl.DateTimeFormat().resolvedOptions()`), which loads ICU's locale and calendar data: about 8 MB of resident
 * memory for the rest of the run (Node 20; bench/RESULTS.md, scenario 2). Naming a locale skips the question.
 */
const NO_INTL = { locale: 'en-US' } as const;

/**
 * Normalises a date-time value to RFC3339 UTC with `Z`; returns null for values that are not a date
 * (targets reject non-RFC3339 strings, and a wrong date is worse than a missing one, so callers log it).
 */
export function toRfc3339(value: unknown): string | null {
  if (typeof value === 'string') {
    if (CANONICAL_UTC.test(value)) return value;
    const parsed = luxonDateTime().fromISO(value, { setZone: true, ...NO_INTL });
    return parsed.isValid ? parsed.toUTC().toISO({ suppressMilliseconds: false }) : null;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Kustomer sends epoch milliseconds in a few places (snooze values); seconds would be < 1e11.
    const ms = value < 1e11 ? value * 1000 : value;
    const parsed = luxonDateTime().fromMillis(ms, { zone: 'utc', ...NO_INTL });
    return parsed.isValid ? parsed.toISO() : null;
  }
  return null;
}

/** Parses a user-supplied instant: RFC3339, or `YYYY-MM-DD` meaning midnight UTC. */
export function parseInstant(value: string): Date | null {
  const trimmed = value.trim();
  const exact = exactUtc(trimmed);
  if (exact) return exact;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  if (!dateOnly && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(trimmed)) return null; // no offset: not an instant
  const parsed = luxonDateTime().fromISO(trimmed, dateOnly ? { zone: 'utc', ...NO_INTL } : { setZone: true, ...NO_INTL });
  return parsed.isValid ? parsed.toJSDate() : null;
}

/**
 * The instant of `2024-01-31T00:00:00Z`, `2024-01-31T00:00:00.000Z` or `2024-01-31` when the text is exactly how
 * `Date` prints that instant (so luxon would read it the same way); null for anything else, which luxon then
 * parses. Calendar errors (`2024-02-30`) never print back as themselves, so they fall through to luxon too.
 */
function exactUtc(text: string): Date | null {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  const printed = new Date(ms).toISOString();
  const same = printed === text || printed.replace(/\.000Z$/, 'Z') === text || printed === `${text}T00:00:00.000Z`;
  return same ? new Date(ms) : null;
}

export function iso(date: Date | number): string {
  return new Date(date).toISOString();
}

