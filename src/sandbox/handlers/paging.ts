/**
 * Page-number paging as Kustomer's lists and search answer it: `page`/`pageSize` (clamped to the route's cap) in,
 * `{data, meta, links}` with relative links out, every other request parameter carried into each link.
 */
import { positiveInt, type Query } from './query';

export interface PageWindow {
  page: number;
  pageSize: number;
}

/** `page` (default 1) and `pageSize` (default 100, silently clamped to `cap`). */
export function pageParams(q: Query, cap: number): PageWindow {
  const page = positiveInt(q, 'page') ?? 1;
  const pageSize = Math.min(positiveInt(q, 'pageSize') ?? 100, cap);
  return { page, pageSize };
}

/** The records of one page. */
export const pageOf = <T>(records: readonly T[], { page, pageSize }: PageWindow): T[] => records.slice((page - 1) * pageSize, page * pageSize);

/** A query parameter's name or value as links carry it (brackets left readable: `filter[start]`). */
export const encodeParam = (s: string): string => encodeURIComponent(s).replace(/%5B/gi, '[').replace(/%5D/gi, ']');

/** The request's parameters other than paging, carried into every link. */
function extraParams(q: Query): string {
  return [...q].filter(([k]) => k !== 'page' && k !== 'pageSize').map(([k, v]) => `&${encodeParam(k)}=${encodeParam(v)}`).join('');
}

// A type, not an interface, so a handler may treat it as a plain record and add `included`.
export type PageEnvelope = {
  data: unknown[];
  meta: Record<string, unknown>;
  links: Record<string, string | null>;
};

/** `{data, meta, links}` with relative links; `pageCap` caps navigation (search's 100-page limit). */
export function pageEnvelope(data: unknown[], total: number, window: PageWindow, path: string, q: Query, pageCap = Infinity): PageEnvelope {
  const { page, pageSize } = window;
  const extra = extraParams(q);
  const totalPages = Math.ceil(total / pageSize);
  const last = Math.max(1, Math.min(totalPages, pageCap));
  const link = (p: number): string => `${path}?page=${p}&pageSize=${pageSize}${extra}`;
  return {
    data,
    meta: { pageSize, page, total, totalPages },
    links: { self: link(page), first: link(1), prev: page > 1 ? link(page - 1) : null, next: page < last ? link(page + 1) : null, last: link(last) },
  };
}
