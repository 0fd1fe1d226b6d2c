/**
 * The one page-size rule: ask for the endpoint's largest page, unless the user set a smaller `page_size`. Every
 * reader (links lists, search keyset, audit log) settles its page size here.
 */
export function pageSizeFor(endpointMax: number, configured: number | undefined): number {
  return Math.min(endpointMax, configured ?? endpointMax);
}

/**
 * The page size that decides "was this the last page?": the one the server applied (`meta.pageSize`) when it
 * clamps below what we asked, so a lower cap than documented never ends a read early.
 */
export function servedPageSize(asked: number, meta: Readonly<Record<string, unknown>>): number {
  const served = Number(meta.pageSize);
  return Number.isInteger(served) && served > 0 && served < asked ? served : asked;
}

/** Re-reads of an empty page that still links onward (a transient glitch) before the stream stops loudly. */
export const EMPTY_PAGE_RETRIES = 3;
