import type { KustomerClient } from '../http/client';
import { ApiError } from '../http/errors';
import { parseListDocument, type Resource } from '../http/jsonapi';
import type { Logger } from '../log';
import type { SearchCursor } from '../singer/bookmarks/search';
import { EMPTY_PAGE_RETRIES, pageSizeFor, servedPageSize } from './page-size';
import { afterSearchPage, searchRequest, SearchLoopError, type SearchWindow } from './search-window';

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
  /** The page minus records the cursor already covered, in the order returned. */
  records: Resource[];
  /** The cursor this page started from, and the one after it (a safe resume point once the page is emitted). */
  before: SearchCursor;
  after: SearchCursor;
  timeExtracted: string;
}

/** A record's keyset position. */
export function updatedAtOf(res: Resource): string {
  return String(res.attributes?.updatedAt ?? res.attributes?.createdAt ?? '1970-01-01T00:00:00.000Z');
}

/**
 * Every page of a search window read as an (updated_at, id) keyset (see search-window.ts for the cursor rules).
 * Ends when the window is exhausted; a server that ignores the keyset criteria stops the stream loudly.
 */
export async function* searchPages(client: KustomerClient, logger: Logger, read: SearchRead): AsyncGenerator<SearchPage> {
  let cursor = read.from;
  for (;;) {
    const { query, body } = searchRequest(read.window, cursor);
    const page = await searchPage(client, logger, read, read.path + query, body);
    const timeExtracted = new Date().toISOString();
    let outcome;
    try {
      outcome = afterSearchPage(cursor, page.data.map((res) => ({ ts: updatedAtOf(res), id: res.id, res })), page.pageSize);
    } catch (err) {
      if (err instanceof SearchLoopError) throw new ApiError(`stream ${read.stream}: ${err.message}; stopping rather than loop or skip records`);
      throw err;
    }
    yield { records: outcome.fresh.map((k) => k.res), before: cursor, after: outcome.cursor, timeExtracted };
    if (outcome.done) return;
    cursor = outcome.cursor;
  }
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
): Promise<{ data: Resource[]; pageSize: number }> {
  for (let attempt = 0; ; attempt++) {
    const res = await client.post(pathAndQuery, body, { stream: read.stream, role: read.role, search: true });
    const page = parseListDocument(res.body);
    if (typeof page === 'string') throw new ApiError(`stream ${read.stream}: search: ${page}`);
    if (page.data.length === 0 && page.next !== null) {
      if (attempt < EMPTY_PAGE_RETRIES) {
        logger.warn(`stream ${read.stream}: empty search page that links to a next page; reading it again`);
        continue;
      }
      throw new ApiError(`stream ${read.stream}: search keeps answering an empty page with a next link; stopping (state unchanged)`);
    }
    return { data: page.data, pageSize: servedPageSize(read.window.pageSize, page.meta) };
  }
}
