import { baseContext } from '../kustomer-client/search-context';
import { TIE_LIST_MAX, advanceCursor, type SearchCursor } from '../singer/bookmarks/search';

/**
 * The search API read as a keyset on updated_at, with documented means only (filters and sorts on
 * `<ctx>_updated_at` / `<ctx>_created_at`, page numbers up to Kustomer's hard limit of 100 pages).
 *
 * Advancing: every request asks for page 1 of `updated_at ≥ last instant read`, sorted ascending, so the page cap
 * never applies and records moving during the sync cannot shift page boundaries. The few records already read at
 * exactly that instant are dropped client-side. Never loops, never skips:
 *   - earlier prior art re-posted `gte last updatedAt` and looped forever on a full page of one timestamp;
 *   - other prior art used strict `gt` and silently skipped records sharing the boundary timestamp.
 *
 * Ties: when more records share one instant T than the tie list can hold, the instant is drained on its own: the
 * pinned window `T ≤ updated_at ≤ T` read by page number (Kustomer orders ties stably while the index is unchanged,
 * but not by id), checked against `meta.total` and the distinct ids seen, re-read when the order proved unstable.
 * A tie larger than 100 pages is cut into `created_at` slices that each fit, read oldest slice first.
 */
export interface SearchWindow {
  queryContext: string;
  /** The sync's upper bound (its start time, or end_date): the bookmark never passes it. */
  upper: string;
  pageSize: number;
}

export interface SearchRequest {
  query: string;
  body: Record<string, unknown>;
}

/** Kustomer's search serves at most this many pages of one query ("hard limit of 100"). */
export const SEARCH_PAGE_CAP = 100;

/** A context's standard attributes are named after it; a klass context (`kobject_<klass>`) uses KObject's own. */
export function attribute(queryContext: string, name: 'updated_at' | 'created_at'): string {
  return `${baseContext(queryContext)}_${name}`;
}

export function searchRequest(window: SearchWindow, cursor: SearchCursor): SearchRequest {
  const ts = attribute(window.queryContext, 'updated_at');
  const lower = 'complete' in cursor ? { gt: cursor.ts } : { gte: cursor.ts };
  return {
    query: `?page=1&pageSize=${window.pageSize}`,
    body: { queryContext: window.queryContext, includeDeleted: true, and: [{ [ts]: lower }, { [ts]: { lte: window.upper } }], sort: [{ [ts]: 'asc' }] },
  };
}

/** A half-open range of creation instants, epoch ms: `from ≤ created_at < to`. */
export interface CreatedSlice {
  from: number;
  to: number;
}

/** One page of the pinned tie window at `ts`, optionally cut to a creation slice. */
export function tieRequest(window: SearchWindow, ts: string, page: number, slice?: CreatedSlice): SearchRequest {
  const updated = attribute(window.queryContext, 'updated_at');
  const created = attribute(window.queryContext, 'created_at');
  const and: Array<Record<string, unknown>> = [{ [updated]: { gte: ts } }, { [updated]: { lte: ts } }];
  if (slice) and.push({ [created]: { gte: new Date(slice.from).toISOString() } }, { [created]: { lt: new Date(slice.to).toISOString() } });
  return {
    query: `?page=${page}&pageSize=${window.pageSize}`,
    body: { queryContext: window.queryContext, includeDeleted: true, and, sort: [{ [updated]: 'asc' }] },
  };
}

export interface PageOutcome<T> {
  cursor: SearchCursor;
  /** True when the window is exhausted. */
  done: boolean;
  /** The page minus the records this cursor already covers (ties re-read at the boundary instant). */
  fresh: T[];
  /** Set when the instant `cursor.ts` holds more ties than a page can get past: drain it on its own. */
  drain?: string;
}

export class SearchLoopError extends Error {}

/**
 * Advances the cursor past one page of results (as returned, `{ts, id}` per record).
 * Throws SearchLoopError when the API ignores the keyset criteria (a record before the window start).
 */
export function afterSearchPage<T extends { ts: string; id: string }>(cursor: SearchCursor, page: readonly T[], pageSize: number): PageOutcome<T> {
  if ('createdBefore' in cursor) throw new SearchLoopError(`a tie drain at ${cursor.ts} must finish before the keyset advances`);
  const full = page.length >= pageSize;
  const start = Date.parse(cursor.ts);
  let previous = start;
  for (const r of page) {
    const at = Date.parse(r.ts);
    if (at < start) throw new SearchLoopError(`search returned a record updated at ${r.ts}, before the window start ${cursor.ts}`);
    // The keyset moves to the page's last instant: a page out of updated_at order would skip what it left behind.
    if (at < previous) throw new SearchLoopError(`search returned a page out of updated_at order (${r.ts} after a later record); the sort was not applied`);
    previous = at;
  }
  const seen = 'seen' in cursor ? new Set(cursor.seen) : new Set<string>();
  const fresh = seen.size ? page.filter((r) => !(Date.parse(r.ts) === start && seen.has(r.id))) : [...page];
  // Nothing new keeps the cursor as it was (a completed instant stays completed: its ties are not read again).
  const next = fresh.length === 0 ? cursor : advanceCursor('complete' in cursor ? { ts: cursor.ts, seen: [] } : cursor, fresh);
  if (!full) return { cursor: next, done: true, fresh };
  // The next `gte` page is sure to hold an unseen record only while fewer ties than a page are already seen.
  if ('seen' in next && (next.seen.length > Math.min(TIE_LIST_MAX, pageSize - 1) || fresh.length === 0)) {
    // Too many ties to get past by id: everything before the instant is read; the drain reads the instant whole.
    // Ties already emitted by earlier pages stay in the cursor (the drain skips them); this page's go to the drain.
    const T = next.ts;
    const earlier = 'seen' in cursor && Date.parse(cursor.ts) === Date.parse(T) ? cursor.seen : [];
    return { cursor: { ts: T, seen: [...earlier] }, done: false, fresh: fresh.filter((r) => Date.parse(r.ts) !== Date.parse(T)), drain: T };
  }
  return { cursor: next, done: false, fresh };
}

/** What to do with a tie window (or slice) whose first page reported `total` records (undefined: not reported). */
export function tiePlan(total: number | undefined, pageSize: number): { pages: number } | 'split' {
  if (total === undefined) return { pages: SEARCH_PAGE_CAP };
  if (total > SEARCH_PAGE_CAP * pageSize) return 'split';
  return { pages: Math.max(1, Math.ceil(total / pageSize)) };
}

/**
 * Cuts a creation slice holding `total` records into slices expected to fit a drain, at the quantiles of a sample
 * of the slice's creation instants (the first page read), or in half when the sample says nothing. Returns null
 * when the slice is one millisecond wide: those records cannot be told apart by documented means.
 */
export function splitSlice(slice: CreatedSlice, sample: readonly number[], total: number, capacity: number): CreatedSlice[] | null {
  if (slice.to - slice.from <= 1) return null;
  const inside = sample.filter((ms) => ms >= slice.from && ms < slice.to).sort((a, b) => a - b);
  const parts = Math.max(2, Math.ceil((2 * total) / capacity));
  const cuts = new Set<number>();
  if (inside.length >= 2) {
    for (let i = 1; i < parts; i++) cuts.add(inside[Math.floor((i * inside.length) / parts)]!);
    // The sample's own ends bound the crowded part; what lies beyond them is its own slice.
    cuts.add(inside[0]!);
    cuts.add(inside[inside.length - 1]! + 1);
  }
  const valid = [...cuts].filter((c) => c > slice.from && c < slice.to).sort((a, b) => a - b);
  if (valid.length === 0) valid.push(slice.from + Math.floor((slice.to - slice.from) / 2));
  const bounds = [slice.from, ...valid, slice.to];
  return bounds.slice(1).map((to, i) => ({ from: bounds[i]!, to }));
}
