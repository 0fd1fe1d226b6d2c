import type { Logger } from '../log';
import { firstPageUrl, nextStep } from '../paging/links';
import type { KustomerClient } from './client';
import { ApiError } from './errors';
import { parseListDocument, type Resource } from './jsonapi';

export interface ListRequest {
  path: string;
  /** Already capped to the endpoint's largest page and the user's page_size. */
  pageSize: number;
  params?: Readonly<Record<string, string>>;
  stream: string;
  role: string;
  /** A per-parent list whose parent was just deleted answers 404: that is an answer, not an error. */
  allow404?: boolean;
  /** Cursor-paged feeds (the audit log) start from their own URL instead of `?page=1&pageSize=N`. */
  firstUrl?: string;
  /**
   * A cursor feed (the audit log) may link an empty page to itself at its end: after the re-reads that ride out a
   * glitch, that is the end, not a loop.
   */
  cursorFeed?: boolean;
}

export type PageHandler = (page: { data: Resource[]; included: Resource[] }, timeExtracted: string) => Promise<void> | void;

/** The page size to ask for: the endpoint's largest, unless the user set a smaller `page_size`. */
export function pageSizeFor(endpointMax: number, configured: number | undefined): number {
  return Math.min(endpointMax, configured ?? endpointMax);
}

/**
 * Reads every page of a `links.next` list, with loop protection. An empty page whose next link points to itself
 * (a known transient glitch) is re-read a few times before the stream fails loudly, with its state untouched.
 */
export async function readList(client: KustomerClient, logger: Logger, req: ListRequest, onPage: PageHandler): Promise<'ok' | 'missing'> {
  let url = req.firstUrl ?? firstPageUrl(req.path, req.pageSize, req.params);
  const visited = new Set<string>();
  let loops = 0;
  for (;;) {
    visited.add(url);
    const res = await client.get(url, { stream: req.stream, role: req.role, allow: req.allow404 ? [404] : undefined });
    if (res.status === 404) return 'missing';
    const timeExtracted = new Date().toISOString();
    const page = parseListDocument(res.body);
    if (typeof page === 'string') throw new ApiError(`stream ${req.stream}: GET ${req.path}: ${page}`);
    await onPage(page, timeExtracted);
    const step = nextStep(page.next === null ? null : client.resolveLink(page.next), visited);
    if (step.kind === 'done') return 'ok';
    if (step.kind === 'loop') {
      if (page.data.length === 0 && step.url === url && loops++ < 3) {
        visited.delete(url);
        logger.warn(`stream ${req.stream}: empty page whose next link points to itself; reading it again`, { url: step.url });
        continue;
      }
      if (req.cursorFeed && page.data.length === 0 && step.url === url) return 'ok';
      throw new ApiError(`stream ${req.stream}: pagination loop: links.next returns to ${step.url}`);
    }
    url = step.url;
  }
}
