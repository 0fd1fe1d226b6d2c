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

/** Audit logs page by cursor: `?count=N&after=<id>`, oldest first (kustomer-api.md §7). */
export function auditPageUrl(path: string, count: number, cursor: { afterId?: string; since?: string }): string {
  const query = new URLSearchParams({ count: String(count) });
  if (cursor.afterId) query.set('after', cursor.afterId);
  else if (cursor.since) query.set('filter[start]', cursor.since);
  return `${path}?${query.toString()}`;
}
