import type { KustomerClient } from '../kustomer-client/client';
import { ApiError } from '../kustomer-client/errors';
import { parseListDocument } from '../kustomer-client/jsonapi';
import { pageRecordOf, type PageRecord } from './page-record';
import type { Logger } from '../log';
import type { SearchCursor } from '../singer/bookmarks/search';
import { EMPTY_PAGE_RETRIES, pageSizeFor, servedPageSize } from './page-size';
import { afterSearchPage, SEARCH_PAGE_CAP, searchRequest, SearchLoopError, splitSlice, tieRequest, tiePlan, type CreatedSlice, type SearchWindow } from './search-window';

export const SEARCH_PATH = '/v1/customers/search';
export const ARCHIVE_SEARCH_PATH = '/v1/customers/archive/search';
/** Kustomer's search serves at most 500 records a page. */
const SEARCH_MAX_PAGE_SIZE = 500;

export function searchPageSize(configured: number | undefined): number {
  return pageSizeFor(SEARCH_MAX_PAGE_SIZE, configured);
}

export interface SearchRead {
  path: typeof SEARCH_PATH | typeof ARCHIVE_SEARCH_PATH;
  window: SearchWindow;
  from: SearchCursor;
  stream: string;
  role: string;
}

export interface SearchPage {
  /** The page minus records the cursor already covered, in the order returned (kept as bytes until emitted). */
  records: PageRecord[];
  /** The cursor this page started from, and the one after it (a safe resume point once the page is emitted). */
  before: SearchCursor;
  after: SearchCursor;
  timeExtracted: string;
}

/**
 * Every page of a search window read as a keyset on updated_at (see search-window.ts for the rules), ties drained
 * by page number in their pinned window. Ends when the window is exhausted; a server that ignores the keyset
 * criteria, or a tie that documented means cannot page through, stops the stream with one line saying why (the
 * bookmark stays at the last page fully read, so the next run retries from there).
 */
export async function* searchPages(client: KustomerClient, logger: Logger, read: SearchRead): AsyncGenerator<SearchPage> {
  let cursor = read.from;
  if ('createdBefore' in cursor) {
    // An interrupted drain of a giant tie: finish its remaining creation slices first.
    yield* drainTie(client, logger, read, { ts: cursor.ts, seen: [] }, Date.parse(cursor.createdBefore));
    cursor = { ts: cursor.ts, complete: true };
  }
  for (;;) {
    const { query, body } = searchRequest(read.window, cursor);
    const page = await searchPage(client, logger, read, read.path + query, body);
    const timeExtracted = new Date().toISOString();
    let outcome;
    try {
      outcome = afterSearchPage(cursor, page.data, page.pageSize);
    } catch (err) {
      if (err instanceof SearchLoopError) throw new ApiError(`stream ${read.stream}: ${err.message}; stopping rather than loop or skip records`);
      throw err;
    }
    yield { records: outcome.fresh, before: cursor, after: outcome.cursor, timeExtracted };
    if (outcome.done) return;
    if (outcome.drain !== undefined) {
      const c = outcome.cursor;
      yield* drainTie(client, logger, read, { ts: outcome.drain, seen: 'seen' in c ? c.seen : [] }, undefined);
      cursor = { ts: outcome.drain, complete: true };
    } else cursor = outcome.cursor;
  }
}

/** Beyond any creation instant a record can have (and still a plain ISO year). */
const CREATED_MAX_MS = Date.UTC(9999, 11, 31);

/** Re-reads of a tie window whose order proved unstable (fewer distinct ids than its total) before giving up. */
const UNSTABLE_REREADS = 2;

/**
 * Reads every record updated at exactly `ts`. Unsliced when the tie fits 100 pages (from a fresh start), else in
 * creation slices from `createdFrom` on, each read to its end before the bookmark records it.
 */
async function* drainTie(
  client: KustomerClient,
  logger: Logger,
  read: SearchRead,
  pinned: { ts: string; seen: string[] },
  createdFrom: number | undefined,
): AsyncGenerator<SearchPage> {
  const ts = pinned.ts;
  // Ties emitted before the drain began (earlier pages of this run, or the bookmark's tie list) are not sent again.
  const skip = new Set(pinned.seen);
  if (createdFrom === undefined) {
    const whole = yield* drainWindow(client, logger, read, ts, undefined, skip, pinned, { ts, complete: true });
    if (whole === 'done') return;
    logger.info(`stream ${read.stream}: ${whole.total} records share updated_at ${ts}; reading them in created_at slices`);
    createdFrom = 0;
  }
  // Slices are read oldest first; each finished one moves the bookmark to its end.
  const pending: CreatedSlice[] = [{ from: createdFrom, to: CREATED_MAX_MS }];
  while (pending.length) {
    const slice = pending.shift()!;
    const before: SearchCursor = slice.from === 0 ? pinned : { ts, createdBefore: new Date(slice.from).toISOString() };
    const after: SearchCursor = pending.length === 0 ? { ts, complete: true } : { ts, createdBefore: new Date(slice.to).toISOString() };
    const outcome = yield* drainWindow(client, logger, read, ts, slice, skip, before, after);
    if (outcome === 'done') continue;
    const parts = splitSlice(slice, outcome.sample, outcome.total, SEARCH_PAGE_CAP * read.window.pageSize);
    if (parts === null) {
      throw new ApiError(
        `stream ${read.stream}: ${outcome.total} records share updated_at ${ts} and created_at ${new Date(slice.from).toISOString()}; ` +
          `Kustomer's search pages through at most ${SEARCH_PAGE_CAP} pages of ${read.window.pageSize}, so they cannot all be read; stopping with the bookmark before them`,
      );
    }
    pending.unshift(...parts);
  }
}

type WindowOutcome = 'done' | { total: number; sample: number[] };

/**
 * One pinned tie window (or creation slice), read by page number to its end. Returns 'done', or the reason it
 * must be split (too many records for 100 pages) with a sample of creation instants to split at.
 */
async function* drainWindow(
  client: KustomerClient,
  logger: Logger,
  read: SearchRead,
  ts: string,
  slice: CreatedSlice | undefined,
  skip: ReadonlySet<string>,
  before: SearchCursor,
  after: SearchCursor,
): AsyncGenerator<SearchPage, WindowOutcome> {
  /** Distinct ids this window returned, across passes. */
  const seen = new Set<string>();
  for (let pass = 0; ; pass++) {
    let total: number | undefined;
    let pages = SEARCH_PAGE_CAP;
    let lastFull = false;
    for (let n = 1; n <= pages; n++) {
      const { query, body } = tieRequest(read.window, ts, n, slice);
      const page = await searchPage(client, logger, read, read.path + query, body);
      const timeExtracted = new Date().toISOString();
      for (const rec of page.data) {
        if (Date.parse(rec.ts) !== Date.parse(ts)) {
          throw new ApiError(`stream ${read.stream}: search returned a record updated at ${rec.ts} in the window pinned to ${ts}; stopping rather than skip records`);
        }
      }
      if (n === 1) {
        total = page.total;
        const plan = tiePlan(total, page.pageSize);
        if (plan === 'split') return { total: total!, sample: page.data.map(createdMsOf) };
        pages = plan.pages;
      }
      if (page.total !== undefined) total = page.total;
      const fresh = page.data.filter((rec) => !seen.has(rec.id) && !skip.has(rec.id));
      for (const rec of page.data) seen.add(rec.id);
      lastFull = page.data.length >= page.pageSize;
      const last = n >= pages || !lastFull;
      const complete = last && (total === undefined || seen.size >= total);
      yield { records: fresh, before, after: complete ? after : before, timeExtracted };
      if (last) break;
    }
    if (total === undefined && lastFull) {
      // No total reported and still full pages at the page cap: more records than 100 pages hold.
      return { total: SEARCH_PAGE_CAP * read.window.pageSize + 1, sample: [] };
    }
    if (total === undefined || seen.size >= total) return 'done';
    if (pass >= UNSTABLE_REREADS) {
      throw new ApiError(
        `stream ${read.stream}: ${total} records share updated_at ${ts}, but ${pass + 1} reads of them by page number returned only ${seen.size} distinct ` +
          `(their order keeps changing); stopping with the bookmark before them, the next run reads them again`,
      );
    }
    logger.warn(`stream ${read.stream}: the order of the ${total} records at ${ts} changed while paging (${seen.size} distinct seen); reading them again`);
  }
}

function createdMsOf(rec: PageRecord): number {
  return Date.parse(String(rec.createdAt ?? ''));
}

/**
 * One search page, with the page size the server applied. An empty page with a next link is re-read: ending the
 * window there would silently delay records.
 */
async function searchPage(
  client: KustomerClient,
  logger: Logger,
  read: SearchRead,
  pathAndQuery: string,
  body: Record<string, unknown>,
): Promise<{ data: PageRecord[]; pageSize: number; total: number | undefined }> {
  for (let attempt = 0; ; attempt++) {
    const res = await client.post(pathAndQuery, body, { stream: read.stream, role: read.role, search: true, dataElement: pageRecordOf });
    const page = parseListDocument<PageRecord>(res.body);
    if (typeof page === 'string') throw new ApiError(`stream ${read.stream}: search: ${page}`);
    if (page.data.length === 0 && page.next !== null) {
      if (attempt < EMPTY_PAGE_RETRIES) {
        logger.warn(`stream ${read.stream}: empty search page that links to a next page; reading it again`);
        continue;
      }
      throw new ApiError(`stream ${read.stream}: search keeps answering an empty page with a next link; stopping (state unchanged)`);
    }
    const total = Number(page.meta.total);
    return { data: page.data, pageSize: servedPageSize(read.window.pageSize, page.meta), total: Number.isInteger(total) && total >= 0 ? total : undefined };
  }
}
