import { afterSearchPage, searchRequest, SearchLoopError, type PageOutcome } from '../../src/paging/search-window';
import { TIE_LIST_MAX, type SearchCursor } from '../../src/singer/bookmarks/search';

const W = { queryContext: 'customer', upper: '2026-11-22T00:00:00.000Z', pageSize: 3 };
const r = (ts: string, id: string) => ({ ts, id });

describe('search keyset window', () => {
  test('first request: gte start, lte upper, sorted by updated_at, always page 1', () => {
    const { query, body } = searchRequest(W, { ts: '2026-01-01T00:00:00.000Z', seen: [] });
    expect(query).toBe('?page=1&pageSize=3');
    expect(body).toEqual({
      queryContext: 'customer',
      includeDeleted: true,
      and: [{ customer_updated_at: { gte: '2026-01-01T00:00:00.000Z' } }, { customer_updated_at: { lte: W.upper } }],
      sort: [{ customer_updated_at: 'asc' }],
    });
  });

  test('ties at the page boundary are excluded by id on the next request: no duplicate, no skip', () => {
    const c0: SearchCursor = { ts: 'A', seen: [] };
    const out = afterSearchPage({ ts: '2026-01-01T00:00:00.000Z', seen: [] }, [r('2026-01-02T00:00:00.000Z', 'a'), r('2026-01-03T00:00:00.000Z', 'b'), r('2026-01-03T00:00:00.000Z', 'c')], 3);
    void c0;
    expect(out).toMatchObject({ cursor: { ts: '2026-01-03T00:00:00.000Z', seen: ['b', 'c'] }, done: false });
    const next = searchRequest(W, out.cursor).body;
    expect(next.not).toBeUndefined();
    expect((next.and as unknown[])[0]).toEqual({ customer_updated_at: { gte: '2026-01-03T00:00:00.000Z' } });
    // The boundary ties come back and are dropped; a seen record updated later is NOT dropped.
    const again = afterSearchPage(out.cursor, [r('2026-01-03T00:00:00.000Z', 'b'), r('2026-01-03T00:00:00.000Z', 'c'), r('2026-01-04T00:00:00.000Z', 'b')], 3);
    expect(again.fresh).toEqual([r('2026-01-04T00:00:00.000Z', 'b')]);
  });

  test('a short page ends the window', () => {
    const out = afterSearchPage({ ts: '2026-01-01T00:00:00.000Z', seen: [] }, [r('2026-01-02T00:00:00.000Z', 'a')], 3);
    expect(out.done).toBe(true);
    expect(out.fresh).toHaveLength(1);
    expect(out.cursor).toEqual({ ts: '2026-01-02T00:00:00.000Z', seen: ['a'] });
  });

  test('more ties than the tie list holds switch to an id-ordered drain, which then completes the instant', () => {
    const T = '2026-01-05T00:00:00.000Z';
    const seen = Array.from({ length: TIE_LIST_MAX }, (_, i) => `id${String(i).padStart(4, '0')}`);
    const out = afterSearchPage({ ts: T, seen }, [r(T, 'x1'), r(T, 'x2'), r(T, 'x3')], 3);
    expect(out.cursor).toEqual({ ts: T, afterId: '' });
    const req = searchRequest(W, out.cursor).body;
    expect(req.and).toEqual([{ customer_updated_at: { equals: T } }, { customer_id: { gt: '' } }]);
    expect(req.sort).toEqual([{ customer_id: 'asc' }]);
    const drained = afterSearchPage(out.cursor, [r(T, 'a'), r(T, 'b'), r(T, 'c')], 3);
    expect(drained.cursor).toEqual({ ts: T, afterId: 'c' });
    const finished = afterSearchPage(drained.cursor, [r(T, 'd')], 3);
    expect(finished.cursor).toEqual({ ts: T, complete: true });
    expect(searchRequest(W, finished.cursor).body.and).toEqual([{ customer_updated_at: { gt: T } }, { customer_updated_at: { lte: W.upper } }]);
  });

  test('with pages smaller than the tie list, a page full of seen ties switches to the drain before it can stall', () => {
    const T = '2026-01-05T00:00:00.000Z';
    const out = afterSearchPage({ ts: T, seen: ['a'] }, [r(T, 'a'), r(T, 'b'), r(T, 'c')], 3);
    expect(out.cursor).toEqual({ ts: T, afterId: '' });
  });

  test('an API that ignores the keyset criteria is detected, not looped on', () => {
    const T = '2026-01-05T00:00:00.000Z';
    expect(() => afterSearchPage({ ts: T, afterId: 'm' }, [r(T, 'a'), r(T, 'b'), r(T, 'c')], 3)).toThrow(SearchLoopError);
    // A page of nothing but seen ties falls back to the id-ordered drain, which detects an API ignoring `gt id`.
    expect(afterSearchPage({ ts: T, seen: ['a', 'b', 'c'] }, [r(T, 'a'), r(T, 'b'), r(T, 'c')], 3).cursor).toEqual({ ts: T, afterId: '' });
    expect(() => afterSearchPage({ ts: T, seen: [] }, [r('2020-01-01T00:00:00.000Z', 'a')], 3)).toThrow(SearchLoopError);
  });

  test('simulated: thousands of records on one timestamp plus a spread, paged to the end without loop or skip', () => {
    const T = '2026-03-01T00:00:00.000Z';
    const all = [
      ...Array.from({ length: 2500 }, (_, i) => r(T, `t${String(i).padStart(5, '0')}`)),
      ...Array.from({ length: 700 }, (_, i) => r(new Date(Date.parse(T) + (i % 50) * 1000).toISOString(), `s${String(i).padStart(5, '0')}`)),
    ];
    const server = (body: Record<string, unknown>, size: number): Array<{ ts: string; id: string }> => {
      const and = body.and as Array<Record<string, Record<string, string>>>;
      let rows = all.filter((x) => {
        for (const c of and) {
          const [attr, op] = Object.entries(c)[0]!;
          const [k, v] = Object.entries(op)[0]!;
          const left = attr.endsWith('_id') ? x.id : Date.parse(x.ts);
          const right = attr.endsWith('_id') ? v : Date.parse(v);
          if (k === 'gte' && !(left >= right)) return false;
          if (k === 'gt' && !(left > right)) return false;
          if (k === 'lte' && !(left <= right)) return false;
          if (k === 'equals' && left !== right) return false;
        }
        return true;
      });
      const byId = (body.sort as Array<Record<string, string>>)[0]!.customer_id !== undefined;
      // Ties in arbitrary (reverse) order when sorting by time, as a real index may return them.
      rows = rows.sort((a, b) => (byId ? (a.id < b.id ? -1 : 1) : Date.parse(a.ts) - Date.parse(b.ts) || (a.id < b.id ? 1 : -1)));
      return rows.slice(0, size);
    };
    const window = { queryContext: 'customer', upper: '2027-01-01T00:00:00.000Z', pageSize: 500 };
    let cursor: SearchCursor = { ts: '2026-01-01T00:00:00.000Z', seen: [] };
    const got: string[] = [];
    for (let i = 0; i < 100; i++) {
      const page = server(searchRequest(window, cursor).body, 500);
      const out: PageOutcome<{ ts: string; id: string }> = afterSearchPage(cursor, page, 500);
      got.push(...out.fresh.map((p) => p.id));
      cursor = out.cursor;
      if (out.done) break;
    }
    const unique = new Set(got);
    expect(unique.size).toBe(all.length);
    // Duplicates only from the switch to the id-ordered drain: bounded by one page.
    expect(got.length - unique.size).toBeLessThanOrEqual(500);
  });
});
