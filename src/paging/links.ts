import type { KustomerClient } from '../kustomer-client/client';
import { ApiError } from '../kustomer-client/errors';
import { parseListDocument, type Resource } from '../kustomer-client/jsonapi';
import type { Logger } from '../log';
import { EMPTY_PAGE_RETRIES } from './page-size';

/**
 * Page-number lists are followed through `links.next`, as Kustomer advises ("follow links.next until it's null").
 * The first URL asks for the endpoint's largest page; the rest is whatever Kustomer links to.
 */
export function firstPageUrl(path: string, pageSize: number, params: Readonly<Record<string, string>> = {}): string {
  const query = new URLSearchParams({ ...params, page: '1', pageSize: String(pageSize) });
  return `${path}?${query.toString()}`;
}

export type NextStep =
  | { kind: 'done' }
  | { kind: 'next'; url: string }
  /** `links.next` points back at a page already read: following it would loop forever. */
  | { kind: 'loop'; url: string };

/** Decides where to go after a page. `visited` holds every URL read so far in this list. */
export function nextStep(next: string | null | undefined, visited: ReadonlySet<string>): NextStep {
  if (next === null || next === undefined || next === '') return { kind: 'done' };
  return visited.has(next) ? { kind: 'loop', url: next } : { kind: 'next', url: next };
}

export interface ListRequest {
  path: string;
  /** From `pageSizeFor`. */
  pageSize: number;
  params?: Readonly<Record<string, string>>;
  stream: string;
  role: string;
  /** A per-parent list whose parent was just deleted answers 404: that is an answer, not an error. */
  allow404?: boolean;
}

export type ListPage = { kind: 'page'; data: Resource[]; included: Resource[]; timeExtracted: string } | { kind: 'missing' };

/**
 * Every page of a `links.next` list, with loop protection. An empty page whose next link points to itself (a
 * known transient glitch) is re-read a few times before the stream fails loudly, with its state untouched.
 * With `allow404`, a missing list yields one `missing` page.
 */
export async function* listPages(client: KustomerClient, logger: Logger, req: ListRequest): AsyncGenerator<ListPage> {
  yield* linkedPages(client, logger, req, firstPageUrl(req.path, req.pageSize, req.params), false);
}

/**
 * The pages `links.next` leads to from `firstUrl`. A cursor feed (the audit log) may link an empty page to itself
 * at its end: after the re-reads that ride out a glitch, that is the end, not a loop.
 */
export async function* linkedPages(
  client: KustomerClient,
  logger: Logger,
  req: Omit<ListRequest, 'pageSize'>,
  firstUrl: string,
  cursorFeed: boolean,
): AsyncGenerator<ListPage> {
  let url = firstUrl;
  const visited = new Set<string>();
  let loops = 0;
  for (;;) {
    visited.add(url);
    const res = await client.get(url, { stream: req.stream, role: req.role, allow: req.allow404 ? [404] : undefined });
    if (res.status === 404) {
      yield { kind: 'missing' };
      return;
    }
    const timeExtracted = new Date().toISOString();
    const page = parseListDocument(res.body);
    if (typeof page === 'string') throw new ApiError(`stream ${req.stream}: GET ${req.path}: ${page}`);
    yield { kind: 'page', data: page.data, included: page.included, timeExtracted };
    const step = nextStep(page.next === null ? null : client.resolveLink(page.next), visited);
    if (step.kind === 'done') return;
    if (step.kind === 'loop') {
      if (page.data.length === 0 && step.url === url && loops++ < EMPTY_PAGE_RETRIES) {
        visited.delete(url);
        logger.warn(`stream ${req.stream}: empty page whose next link points to itself; reading it again`, { url: step.url });
        continue;
      }
      if (cursorFeed && page.data.length === 0 && step.url === url) return;
      throw new ApiError(`stream ${req.stream}: pagination loop: links.next returns to ${step.url}`);
    }
    url = step.url;
  }
}

/** A whole (small) list in memory, or 'missing' when its parent is gone. */
export async function readAll(client: KustomerClient, logger: Logger, req: ListRequest): Promise<Resource[] | 'missing'> {
  const all: Resource[] = [];
  for await (const page of listPages(client, logger, req)) {
    if (page.kind === 'missing') return 'missing';
    all.push(...page.data);
  }
  return all;
}
