import type { KustomerClient } from '../kustomer-client/client';
import { parseListDocument, type Resource } from '../kustomer-client/jsonapi';
import { ApiError } from '../kustomer-client/errors';
import type { Logger } from '../log';
import { linkedPages } from './links';
import { EMPTY_PAGE_RETRIES } from './page-size';

/**
 * The audit log, read in bounded time windows with the documented `filter[start]` / `filter[end]`, each followed
 * through `links.next` to its end before the window counts as read. This works whatever order Kustomer pages in:
 * the published document has pages run newest first (`next` = `before=<id>`), an older reading oldest first
 * (`next` = `after=<id>`). Entries are kept by their own `createdAt`, so a server that drops the filters from its
 * links, or takes either bound as inclusive or exclusive, still yields each window's entries exactly.
 */
export interface AuditRead {
  path: string;
  /** From `pageSizeFor` (the `count` parameter). */
  pageSize: number;
  /** Read entries created in [from, to), epoch ms. */
  from: number;
  to: number;
  stream: string;
  role: string;
}

export type AuditItem =
  | { kind: 'entries'; entries: Resource[]; timeExtracted: string }
  /** Every entry created before `until` has been yielded: a safe bookmark. */
  | { kind: 'covered'; until: string };

/** A window holding more entries than this many pages is halved first, so a killed run re-reads little. */
export const WINDOW_PAGES = 5;

export function auditWindowUrl(path: string, count: number, from: number, to: number): string {
  // One millisecond of slack on each side: the window is cut exactly client-side, whatever the server's bounds mean.
  const query = new URLSearchParams({ count: String(count), 'filter[start]': iso(from - 1), 'filter[end]': iso(to) });
  return `${path}?${query.toString()}`;
}

export async function* auditWindows(client: KustomerClient, logger: Logger, read: AuditRead): AsyncGenerator<AuditItem> {
  let start = read.from;
  while (start < read.to) {
    const end = await windowEnd(client, logger, read, start);
    const inWindow = (e: Resource) => {
      const t = createdMs(e);
      return t >= start && t < end;
    };
    let entered = false;
    for await (const page of linkedPages(client, logger, read, auditWindowUrl(read.path, read.pageSize, start, end), true)) {
      if (page.kind === 'missing') break;
      const entries = page.data.filter(inWindow);
      if (entries.length) yield { kind: 'entries', entries, timeExtracted: page.timeExtracted };
      // Pages walk through time in one direction: an entry outside the window after one inside it is the far edge.
      if (leavesWindow(page.data, inWindow, entered)) break;
      entered ||= entries.length > 0;
    }
    yield { kind: 'covered', until: iso(end) };
    start = end;
  }
}

/**
 * The end of the next window from `start`: the whole rest, halved while `meta.total` says it holds more than
 * WINDOW_PAGES pages. A total that does not shrink with the window is not a count of the window: stop halving.
 */
async function windowEnd(client: KustomerClient, logger: Logger, read: AuditRead, start: number): Promise<number> {
  let end = read.to;
  let previous: number | undefined;
  let glitches = 0;
  for (;;) {
    const res = await client.get(auditWindowUrl(read.path, 1, start, end), { stream: read.stream, role: read.role });
    const page = parseListDocument(res.body);
    if (typeof page === 'string') throw new ApiError(`stream ${read.stream}: GET ${read.path}: ${page}`);
    // An empty page that still links onward is a transient glitch, not a count: ask again (as every reader does).
    if (page.data.length === 0 && page.next !== null && glitches++ < EMPTY_PAGE_RETRIES) {
      logger.warn(`stream ${read.stream}: empty audit-log page that links onward; reading it again`);
      continue;
    }
    const total = Number(page.meta.total);
    if (!Number.isInteger(total) || total <= WINDOW_PAGES * read.pageSize || total === previous || end - start <= 1000) return end;
    previous = total;
    end = start + Math.floor((end - start) / 2);
  }
}

/** Whether the log still holds any entry created at or before `instant` (order-independent: one entry or none). */
export async function holdsEntryAtOrBefore(client: KustomerClient, read: Pick<AuditRead, 'path' | 'stream' | 'role'>, instant: number): Promise<boolean> {
  const query = new URLSearchParams({ count: '1', 'filter[end]': iso(instant) });
  const res = await client.get(`${read.path}?${query.toString()}`, { stream: read.stream, role: read.role });
  const page = parseListDocument(res.body);
  return typeof page !== 'string' && page.data.some((e) => createdMs(e) <= instant);
}

/** True when, walking this page in order, an entry outside the window follows one inside it (or an earlier page's). */
export function leavesWindow(page: readonly Resource[], inWindow: (e: Resource) => boolean, entered: boolean): boolean {
  let inside = entered;
  for (const e of page) {
    if (inWindow(e)) inside = true;
    else if (inside) return true;
  }
  return false;
}

function createdMs(e: Resource): number {
  return Date.parse(String(e.attributes?.createdAt ?? ''));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
