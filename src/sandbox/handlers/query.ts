/**
 * Query parameters of the read API: every route names the parameters it accepts, and anything else (an unknown or
 * repeated parameter, a malformed number or date) is a 400 naming the parameter, as Kustomer answers.
 */
import { DateTime } from 'luxon';
import { HttpError } from '../http-error';

export type Query = Map<string, string>;

/** The request's parameters, refusing any not in `allowed` and any given twice. */
export function readQuery(url: URL, allowed: Iterable<string>): Query {
  const ok = new Set(allowed);
  const q: Query = new Map();
  for (const [k, v] of url.searchParams) {
    if (!ok.has(k)) throw new HttpError(400, `unknown query parameter \`${k}\``, k);
    if (q.has(k)) throw new HttpError(400, `query parameter \`${k}\` given twice`, k);
    q.set(k, v);
  }
  return q;
}

export function positiveInt(q: Query, name: string): number | undefined {
  const v = q.get(name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) {
    throw new HttpError(400, `\`${name}\` must be a positive integer`, name);
  }
  return Number(v);
}

/** `true` or `false` as a boolean, else a 400 naming the parameter. */
export function parseBoolean(v: string, name: string): boolean {
  if (v !== 'true' && v !== 'false') throw new HttpError(400, `\`${name}\` must be true or false`, name);
  return v === 'true';
}

/** `?name=true|false`, or undefined when absent. */
export function booleanParam(q: Query, name: string): boolean | undefined {
  const v = q.get(name);
  return v === undefined ? undefined : parseBoolean(v, name);
}

/** `value` when it is one of `values`, else a 400 naming the parameter. */
export function oneOf(value: string, values: readonly string[], name: string): string {
  if (!values.includes(value)) throw new HttpError(400, `\`${name}\` must be one of ${values.join(', ')}`, name);
  return value;
}

export function parseInstantParam(v: string, name: string): number {
  const dt = DateTime.fromISO(v, { zone: 'utc' });
  if (!dt.isValid) throw new HttpError(400, `\`${name}\` must be an ISO-8601 date`, name);
  return dt.toMillis();
}
