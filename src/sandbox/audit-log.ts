/**
 * The sandbox's audit log: `GET /v1/audit-logs`, paged by id cursors.
 *
 * By default it follows the published document: pages run newest first, `links.next` walks to older entries with
 * `before=<oldest id of the page>`, `links.prev` back to newer ones with `after=<newest id of the page>`, and `meta`
 * is `{count, total, cursorCount}`. The older reading (oldest first, `next` by `after`) stays as the `oldestFirst`
 * option so the tap is tested against both. Expired entries are gone (see contract/audit-log.ts for retention).
 */
import { DateTime } from 'luxon';
import { AUDIT_DEFAULT_COUNT, AUDIT_MAX_COUNT, AUDIT_QUERY_PARAMS, AUDIT_OBJECT_TYPES, isAuditObjectType } from '../contract/audit-log';
import { encodeParam } from './handlers/paging';
import { HttpError } from './http-error';
import { partitionPoint } from './partition-point';
import type { Resource } from './model';

export type AuditOrder = 'newestFirst' | 'oldestFirst';

export interface AuditEntry {
  r: Resource;
  id: string;
  created: number;
  expires: number;
}

/** A bad audit-log query: the server answers 400 naming the parameter. */
class AuditQueryError extends HttpError {
  constructor(message: string, parameter: string) {
    super(400, message, parameter);
  }
}

/** The log sorted by id: ids rise with time, so a cursor works positionally even for an expired or unknown id. */
export function indexAuditLog(entries: Resource[]): AuditEntry[] {
  return entries
    .map((r) => ({
      r,
      id: r.id,
      created: Date.parse(String(r.attributes.createdAt)),
      expires: r.attributes.expiresAt ? Date.parse(String(r.attributes.expiresAt)) : Infinity,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

interface AuditQuery {
  count: number;
  after?: string;
  before?: string;
  start: number;
  end: number;
  /** Object types that match (`filter[objectType]` plus the OR of `filter[include]`); null: all. */
  types: Set<string> | null;
  objectId?: string;
  userId?: string;
  /** The filters as given, carried into every link. */
  filterParams: Array<[string, string]>;
}

function instant(v: string, name: string): number {
  const dt = DateTime.fromISO(v, { zone: 'utc' });
  if (!dt.isValid) throw new AuditQueryError(`\`${name}\` must be an ISO-8601 date`, name);
  return dt.toMillis();
}

function objectTypes(v: string, name: string): string[] {
  const list = v.split(',').map((s) => s.trim());
  for (const t of list) {
    if (!isAuditObjectType(t)) throw new AuditQueryError(`\`${name}\`: \`${t}\` is not one of ${AUDIT_OBJECT_TYPES.join(', ')}`, name);
  }
  return list;
}

/** Reads the query (only the documented parameters, each at most once). */
export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const q = new Map<string, string>();
  for (const [k, v] of params) {
    if (!(AUDIT_QUERY_PARAMS as readonly string[]).includes(k)) throw new AuditQueryError(`unknown query parameter \`${k}\``, k);
    if (q.has(k)) throw new AuditQueryError(`query parameter \`${k}\` given twice`, k);
    q.set(k, v);
  }
  const rawCount = q.get('count');
  if (rawCount !== undefined && !(/^\d+$/.test(rawCount) && Number(rawCount) >= 1)) throw new AuditQueryError('`count` must be a positive integer', 'count');
  const objectType = q.get('filter[objectType]');
  const include = q.get('filter[include]');
  if (q.has('filter[objectId]') && objectType === undefined) throw new AuditQueryError('`filter[objectId]` requires `filter[objectType]`', 'filter[objectId]');
  const types = objectType === undefined && include === undefined ? null : new Set<string>();
  if (objectType !== undefined) objectTypes(objectType, 'filter[objectType]').forEach((t) => types?.add(t));
  if (include !== undefined) objectTypes(include, 'filter[include]').forEach((t) => types?.add(t));
  return {
    count: Math.min(rawCount === undefined ? AUDIT_DEFAULT_COUNT : Number(rawCount), AUDIT_MAX_COUNT),
    after: q.get('after'),
    before: q.get('before'),
    start: q.has('filter[start]') ? instant(q.get('filter[start]') as string, 'filter[start]') : -Infinity,
    end: q.has('filter[end]') ? instant(q.get('filter[end]') as string, 'filter[end]') : Infinity,
    types,
    objectId: q.get('filter[objectId]'),
    userId: q.get('filter[userId]'),
    filterParams: [...q].filter(([k]) => k.startsWith('filter[')),
  };
}

/** Index of the first entry whose id is above `id` (or at/above it when `inclusive`). */
function firstAbove(log: AuditEntry[], id: string, inclusive = false): number {
  return partitionPoint(log, (e) => (inclusive ? e.id < id : e.id <= id));
}

export interface AuditPageOptions {
  order: AuditOrder;
  now: number;
  /** Entries created before `now - retentionMs` are gone too (on top of each entry's own expiresAt). */
  retentionMs: number;
  /** The request's path and query, for `links.self`. */
  self: string;
}

export interface AuditPage {
  data: Resource[];
  meta: { count: number; total: number; cursorCount: number };
  links: { self: string; first: string; prev: string | null; next: string | null };
}

export function auditLogPage(log: AuditEntry[], q: AuditQuery, opts: AuditPageOptions): AuditPage {
  const oldest = opts.now - opts.retentionMs;
  const live = (a: AuditEntry): boolean =>
    !(a.expires < opts.now) &&
    a.created >= oldest &&
    a.created >= q.start &&
    a.created <= q.end &&
    (q.types === null || q.types.has(String(a.r.attributes.objectType))) &&
    (q.objectId === undefined || a.r.attributes.objectId === q.objectId) &&
    (q.userId === undefined || a.r.attributes.userId === q.userId);

  // The cursor range: strictly above `after`, strictly below `before`.
  const from = q.after === undefined ? 0 : firstAbove(log, q.after);
  const to = q.before === undefined ? log.length : firstAbove(log, q.before, true);
  let total = 0;
  let cursorCount = 0;
  log.forEach((a, i) => {
    if (!live(a)) return;
    total++;
    if (i >= from && i < to) cursorCount++;
  });

  const page: AuditEntry[] = [];
  // Which end of the range the page is taken from: the newest end, except for `after` alone (oldest-first reading:
  // except for `before` alone), which asks for the entries right next to the cursor.
  const fromNewest = opts.order === 'newestFirst' ? q.before !== undefined || q.after === undefined : q.before !== undefined && q.after === undefined;
  if (fromNewest) {
    for (let i = to - 1; i >= from && page.length < q.count; i--) if (live(log[i] as AuditEntry)) page.push(log[i] as AuditEntry);
  } else {
    for (let i = from; i < to && page.length < q.count; i++) if (live(log[i] as AuditEntry)) page.push(log[i] as AuditEntry);
  }
  // `page` is now in the order it was collected; present it in the configured order.
  const ascending = fromNewest ? page.reverse() : page;
  const data = opts.order === 'newestFirst' ? [...ascending].reverse() : ascending;

  const filters = q.filterParams.map(([k, v]) => `&${encodeParam(k)}=${encodeParam(v)}`).join('');
  const base = `/v1/audit-logs?count=${q.count}`;
  const newestId = ascending[ascending.length - 1]?.id;
  const oldestId = ascending[0]?.id;
  const olderExists = oldestId !== undefined && log.slice(0, firstAbove(log, oldestId, true)).some(live);
  let prev: string | null;
  let next: string | null;
  if (opts.order === 'newestFirst') {
    // next: older entries (kept inside an `after` bound the request set); prev: newer entries, always offered.
    const keepAfter = q.after !== undefined && q.before !== undefined ? `&after=${encodeParam(q.after)}` : '';
    next = oldestId !== undefined && olderExists ? `${base}&before=${encodeParam(oldestId)}${keepAfter}${filters}` : null;
    prev = newestId !== undefined ? `${base}&after=${encodeParam(newestId)}${filters}` : null;
  } else {
    next = ascending.length === q.count && newestId !== undefined ? `${base}&after=${encodeParam(newestId)}${filters}` : null;
    prev = oldestId !== undefined && olderExists ? `${base}&before=${encodeParam(oldestId)}${filters}` : null;
  }
  return {
    data: data.map((a) => a.r),
    meta: { count: data.length, total, cursorCount },
    links: { self: opts.self, first: `${base}${filters}`, prev, next },
  };
}
