import { TIE_LIST_MAX, advanceCursor, type SearchCursor } from '../singer/bookmarks/search';

/**
 * The search API read as a keyset on (updated_at, id). Every request asks for page 1, so Kustomer's 100-page cap
 * never applies and records moving during the sync cannot shift page boundaries. The next request starts at the
 * last instant read (`gte`); the few records already read at exactly that instant are dropped client-side (a server
 * `not id in` would also hide them after a later update). When many records share one instant, they are drained in
 * id order (`<ctx>_updated_at = T and <ctx>_id > last`). Never loops, never skips:
 *
 *   - earlier prior art re-posted `gte last updatedAt` and looped forever on a full page of one timestamp;
 *   - other prior art used strict `gt` and silently skipped records sharing the boundary timestamp.
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

export function searchRequest(window: SearchWindow, cursor: SearchCursor): SearchRequest {
  const ts = `${window.queryContext}_updated_at`;
  const id = `${window.queryContext}_id`;
  const query = `?page=1&pageSize=${window.pageSize}`;
  const base = { queryContext: window.queryContext, includeDeleted: true };
  if ('afterId' in cursor) {
    return {
      query,
      body: { ...base, and: [{ [ts]: { equals: cursor.ts } }, { [id]: { gt: cursor.afterId } }], sort: [{ [id]: 'asc' }] },
    };
  }
  const lower = 'complete' in cursor ? { gt: cursor.ts } : { gte: cursor.ts };
  return { query, body: { ...base, and: [{ [ts]: lower }, { [ts]: { lte: window.upper } }], sort: [{ [ts]: 'asc' }] } };
}

export interface PageOutcome<T> {
  cursor: SearchCursor;
  /** True when the window is exhausted. */
  done: boolean;
  /** The page minus the records this cursor already covers (ties re-read at the boundary instant). */
  fresh: T[];
}

export class SearchLoopError extends Error {}

/**
 * Advances the cursor past one page of results (as returned, `{ts, id}` per record).
 * Throws SearchLoopError when the API ignores the keyset criteria (a page that makes no progress).
 */
export function afterSearchPage<T extends { ts: string; id: string }>(cursor: SearchCursor, page: readonly T[], pageSize: number): PageOutcome<T> {
  const full = page.length >= pageSize;
  if ('afterId' in cursor) {
    let last = cursor.afterId;
    for (const r of page) {
      if (r.id <= last || Date.parse(r.ts) !== Date.parse(cursor.ts)) {
        throw new SearchLoopError(`search returned ${r.id} out of id order while paging ties at ${cursor.ts}`);
      }
      last = r.id;
    }
    // Ties drained; the advance query resumes strictly after this instant.
    const next: SearchCursor = full ? { ts: cursor.ts, afterId: last } : { ts: cursor.ts, complete: true };
    return { cursor: next, done: false, fresh: [...page] };
  }
  const start = Date.parse(cursor.ts);
  for (const r of page) {
    if (Date.parse(r.ts) < start) throw new SearchLoopError(`search returned a record updated at ${r.ts}, before the window start ${cursor.ts}`);
  }
  const seen = 'seen' in cursor ? new Set(cursor.seen) : new Set<string>();
  const fresh = seen.size ? page.filter((r) => !(Date.parse(r.ts) === start && seen.has(r.id))) : [...page];
  const next = advanceCursor('complete' in cursor ? { ts: cursor.ts, seen: [] } : cursor, fresh);
  if (!full) return { cursor: next, done: true, fresh };
  // The next `gte` page is sure to hold an unseen record only while fewer ties than a page are already seen.
  if ('seen' in next && next.seen.length > Math.min(TIE_LIST_MAX, pageSize - 1)) {
    // Too many ties to track by id: drain this instant in id order from its first record (re-reads ≤ one page).
    return { cursor: { ts: next.ts, afterId: '' }, done: false, fresh };
  }
  if (fresh.length === 0) throw new SearchLoopError(`search made no progress at ${cursor.ts}`);
  return { cursor: next, done: false, fresh };
}
