import { auditWindows, auditWindowUrl, leavesWindow } from '../../src/paging/audit';
import type { KustomerClient } from '../../src/kustomer-client/client';
import type { Resource } from '../../src/kustomer-client/jsonapi';
import type { Logger } from '../../src/log';
import { klassNameLookup } from '../../src/streams/kobjects';

const at = (ms: number): Resource => ({ type: 'audit_log', id: `e${ms}`, attributes: { createdAt: new Date(ms).toISOString() } });
const within = (e: Resource) => {
  const t = Date.parse(String(e.attributes?.createdAt));
  return t >= 100 && t < 200;
};

/** An audit log of one entry per 10 ms over [0, 2000), paged by id cursors in either order, filters honoured. */
function fakeLog(order: 'newestFirst' | 'oldestFirst') {
  const log = Array.from({ length: 200 }, (_, i) => at(i * 10));
  let requests = 0;
  const client = {
    resolveLink: (l: string) => l,
    async get(pathAndQuery: string) {
      requests++;
      const q = new URL(pathAndQuery, 'http://x').searchParams;
      const count = Number(q.get('count'));
      const start = Date.parse(q.get('filter[start]') ?? '1970-01-01T00:00:00.000Z');
      const end = Date.parse(q.get('filter[end]') ?? '9999-01-01T00:00:00.000Z');
      let rows = log.filter((e) => Date.parse(String(e.attributes!.createdAt)) >= start && Date.parse(String(e.attributes!.createdAt)) <= end);
      if (order === 'newestFirst') rows = rows.reverse();
      const cursor = q.get(order === 'newestFirst' ? 'before' : 'after');
      const from = cursor ? rows.findIndex((e) => e.id === cursor) + 1 : 0;
      const page = rows.slice(from, from + count);
      const next = from + count < rows.length ? `${pathAndQuery.replace(/&(before|after)=[^&]*/, '')}&${order === 'newestFirst' ? 'before' : 'after'}=${page[page.length - 1]!.id}` : null;
      return { status: 200, body: { data: page, meta: { count: page.length, total: rows.length }, links: { next } } };
    },
  };
  return { client: client as unknown as KustomerClient, requests: () => requests };
}

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Logger;

describe('audit-log windows', () => {
  test('a page leaves the window only when an entry outside follows one inside', () => {
    expect(leavesWindow([at(90), at(100), at(150)], within, false)).toBe(false); // oldest first, entering
    expect(leavesWindow([at(150), at(100), at(90)], within, false)).toBe(true); // newest first, leaving
    expect(leavesWindow([at(250), at(190)], within, false)).toBe(false); // newest first, entering
    expect(leavesWindow([at(250)], within, true)).toBe(true); // a whole page past the edge
    expect(auditWindowUrl('/v1/audit-logs', 1000, 100, 200)).toBe('/v1/audit-logs?count=1000&filter%5Bstart%5D=1970-01-01T00%3A00%3A00.099Z&filter%5Bend%5D=1970-01-01T00%3A00%3A00.200Z');
  });

  test.each(['newestFirst', 'oldestFirst'] as const)('%s: every entry of [from, to) once, windows bounded, each covered only after it is read', async (order) => {
    const { client } = fakeLog(order);
    const seen: string[] = [];
    const covered: string[] = [];
    for await (const item of auditWindows(client, logger, { path: '/v1/audit-logs', pageSize: 7, from: 95, to: 1805, stream: 'audit_logs', role: 'r' })) {
      if (item.kind === 'entries') seen.push(...item.entries.map((e) => e.id));
      else covered.push(item.until);
    }
    const expected = Array.from({ length: 200 }, (_, i) => i * 10).filter((ms) => ms >= 95 && ms < 1805).map((ms) => `e${ms}`);
    expect([...seen].sort()).toEqual([...expected].sort());
    expect(new Set(seen).size).toBe(seen.length);
    // 171 entries, at most 5 pages of 7 a window: halved into several windows, the last ending at `to`.
    expect(covered.length).toBeGreaterThan(1);
    expect(covered[covered.length - 1]).toBe(new Date(1805).toISOString());
  });
});

describe('KObject klass references', () => {
  const resolve = klassNameLookup([{ id: 'a'.repeat(24), name: 'order' }]).klass;
  test('by name (the published contract) or by 24-hex id, both resolve to id and name', () => {
    expect(resolve('order')).toEqual({ id: 'a'.repeat(24), name: 'order' });
    expect(resolve('a'.repeat(24))).toEqual({ id: 'a'.repeat(24), name: 'order' });
    expect(resolve('b'.repeat(24))).toEqual({ id: 'b'.repeat(24), name: null });
    expect(resolve('refund')).toEqual({ id: null, name: 'refund' });
    expect(resolve(undefined)).toEqual({ id: null, name: null });
  });
});
