/** Replies that stand in for a whole answer when a fault rule fires (faults.ts): bad JSON, and a paging loop. */
import { json, type Reply } from './reply';

/** A body cut off mid-record: not JSON at all. */
export const malformed = (): Reply => ({ status: 200, body: null, raw: '{"data":[{"type":"customer","id":' });

/** A page that points at itself: a tap following links.next blindly loops forever. */
export function emptySelfNext(url: URL): Reply {
  const self = `${url.pathname}${url.search}`;
  return json({ data: [], meta: { pageSize: 100, page: 1, total: 0, totalPages: 0 }, links: { self, first: self, prev: null, next: self, last: self } });
}
