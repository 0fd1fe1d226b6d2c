import { afterSearchPage, searchRequest, SearchLoopError, splitSlice, tieRequest, tiePlan } from '../../src/paging/search-window';
import { searchPages } from '../../src/paging/search';
import type { KustomerClient, RequestOptions } from '../../src/kustomer-client/client';
import { JsonBodyParser, type DataElement } from '../../src/kustomer-client/json-body';
import type { Logger } from '../../src/log';
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

  test('more ties than the tie list holds: the instant is drained on its own, everything before it kept', () => {
    const T = '2026-01-05T00:00:00.000Z';
    const seen = Array.from({ length: TIE_LIST_MAX }, (_, i) => `id${String(i).padStart(4, '0')}`);
    const out = afterSearchPage({ ts: T, seen }, [r(T, 'x1'), r(T, 'x2'), r(T, 'x3')], 3);
    expect(out).toEqual({ cursor: { ts: T, seen }, done: false, fresh: [], drain: T });
    const before = afterSearchPage({ ts: '2026-01-01T00:00:00.000Z', seen: [] }, [r('2026-01-02T00:00:00.000Z', 'a'), r(T, 'b'), r(T, 'c')], 3);
    expect(before.drain).toBeUndefined();
    // The pinned window: documented attributes and operators only, page numbers, no id anywhere.
    const req = tieRequest(W, T, 7, { from: 0, to: Date.parse(T) });
    expect(req.query).toBe('?page=7&pageSize=3');
    expect(req.body).toEqual({
      queryContext: 'customer',
      includeDeleted: true,
      and: [
        { customer_updated_at: { gte: T } },
        { customer_updated_at: { lte: T } },
        { customer_created_at: { gte: '1970-01-01T00:00:00.000Z' } },
        { customer_created_at: { lt: T } },
      ],
      sort: [{ customer_updated_at: 'asc' }],
    });
    expect(JSON.stringify(req.body)).not.toMatch(/customer_id/);
  });

  test('with pages smaller than the tie list, a page full of seen ties drains the instant before it can stall', () => {
    const T = '2026-01-05T00:00:00.000Z';
    expect(afterSearchPage({ ts: T, seen: ['a', 'b', 'c'] }, [r(T, 'a'), r(T, 'b'), r(T, 'c')], 3).drain).toBe(T);
  });

  test('an API that ignores the keyset criteria is detected, not looped on', () => {
    const T = '2026-01-05T00:00:00.000Z';
    expect(() => afterSearchPage({ ts: T, seen: [] }, [r('2020-01-01T00:00:00.000Z', 'a')], 3)).toThrow(SearchLoopError);
    // A sort that was not applied would make the cursor jump over records: detected, never skipped.
    expect(() => afterSearchPage({ ts: T, seen: [] }, [r('2026-01-07T00:00:00.000Z', 'a'), r('2026-01-06T00:00:00.000Z', 'b')], 3)).toThrow(/out of updated_at order/);
  });

  test('tie plan: 100 pages at most, else split; splits follow the sample and end at one millisecond', () => {
    expect(tiePlan(1250, 500)).toEqual({ pages: 3 });
    expect(tiePlan(50_000, 500)).toEqual({ pages: 100 });
    expect(tiePlan(50_001, 500)).toBe('split');
    expect(tiePlan(undefined, 500)).toEqual({ pages: 100 });
    const slice = { from: 0, to: 1000 };
    const parts = splitSlice(slice, [100, 200, 300, 400], 60_000, 50_000)!;
    expect(parts[0]!.from).toBe(0);
    expect(parts[parts.length - 1]!.to).toBe(1000);
    parts.slice(1).forEach((p, i) => expect(p.from).toBe(parts[i]!.to));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(splitSlice({ from: 0, to: 1000 }, [], 60_000, 50_000)).toEqual([
      { from: 0, to: 500 },
      { from: 500, to: 1000 },
    ]);
    expect(splitSlice({ from: 5, to: 6 }, [5, 5], 60_000, 50_000)).toBeNull();
  });

  /** A search server over `all` that honours the documented filters and page numbers, ordering ties unstably by a seed. */
  function fakeClient(rows: Array<{ ts: string; id: string; created: number }>, opts: { pageCap: number; shuffleOnce?: boolean }) {
    let requests = 0;
    let shuffled = !opts.shuffleOnce;
    // Each row's updated_at parsed once (thousands of rows are filtered and sorted on every request), and each id's
    // shuffled form made once: the same answers as parsing per comparison, at a fraction of the CPU.
    const all = rows.map((x) => ({ ...x, updated: Date.parse(x.ts), reversed: x.id.split('').reverse().join('') }));
    const client = {
      async post(pathAndQuery: string, body: Record<string, unknown>, ro: RequestOptions) {
        requests++;
        const url = new URL(pathAndQuery, 'http://x');
        const page = Number(url.searchParams.get('page'));
        const size = Number(url.searchParams.get('pageSize'));
        if (page > opts.pageCap) throw new Error('page cap exceeded');
        const and = body.and as Array<Record<string, Record<string, string>>>;
        const criteria = and.map((c) => {
          const [attr, op] = Object.entries(c)[0]!;
          if (attr.endsWith('_id')) throw new Error('undocumented attribute');
          const [k, v] = Object.entries(op)[0]!;
          return { created: attr.endsWith('_created_at'), k, right: Date.parse(v) };
        });
        const rows = all.filter((x) =>
          criteria.every(({ created, k, right }) => {
            const left = created ? x.created : x.updated;
            return k === 'gte' ? left >= right : k === 'gt' ? left > right : k === 'lte' ? left <= right : k === 'lt' ? left < right : left === right;
          }),
        );
        // Ties in an order that is not by id; once, mid-read, the order changes (an index refresh).
        const key = (x: (typeof all)[number]) => (shuffled ? x.reversed : x.id);
        if (!shuffled && requests > 3) shuffled = true;
        rows.sort((a, b) => a.updated - b.updated || (key(a) < key(b) ? -1 : 1));
        const data = rows.slice((page - 1) * size, page * size).map((x) => ({ type: 'customer', id: x.id, attributes: { updatedAt: x.ts, createdAt: new Date(x.created).toISOString() } }));
        const doc = { data, meta: { pageSize: size, total: rows.length }, links: { next: null } };
        return { status: 200, body: ro.dataElement ? asReadByTheClient(doc, ro.dataElement) : doc };
      },
    };
    return { client: client as unknown as KustomerClient, requests: () => requests };
  }

  /** The body as the client hands it on for requests with a `dataElement`: sent as JSON, `data` kept as PageRecords. */
  function asReadByTheClient(doc: unknown, dataElement: DataElement): unknown {
    const parser = new JsonBodyParser(dataElement);
    parser.write(Buffer.from(JSON.stringify(doc)));
    return parser.end();
  }

  async function readAllPages(all: Array<{ ts: string; id: string; created: number }>, pageSize: number, opts: { pageCap: number; shuffleOnce?: boolean }) {
    const { client, requests } = fakeClient(all, opts);
    const window = { queryContext: 'customer', upper: '2027-01-01T00:00:00.000Z', pageSize };
    const got: string[] = [];
    let last: SearchCursor | undefined;
    for await (const page of searchPages(client, quietLogger, { path: '/v1/customers/search', window, from: { ts: '2026-01-01T00:00:00.000Z', seen: [] }, stream: 'customers', role: 'r' })) {
      got.push(...page.records.map((x) => x.id));
      last = page.after;
    }
    return { got, requests: requests(), last };
  }

  const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Logger;

  test('simulated: a 2,500-way tie plus a spread, drained by page number without loop or skip, even when the order changes mid-read', async () => {
    const T = '2026-03-01T00:00:00.000Z';
    const all = [
      ...Array.from({ length: 2500 }, (_, i) => ({ ts: T, id: `t${String(i).padStart(5, '0')}`, created: i * 1000 })),
      ...Array.from({ length: 700 }, (_, i) => ({ ts: new Date(Date.parse(T) + (i % 50) * 1000).toISOString(), id: `s${String(i).padStart(5, '0')}`, created: i })),
    ];
    const { got, last } = await readAllPages(all, 500, { pageCap: 100, shuffleOnce: true });
    expect(new Set(got).size).toBe(all.length);
    // Within one run nothing is emitted twice: ties of earlier pages are skipped by the drain.
    expect(got.length).toBe(all.length);
    expect(last).toMatchObject({ ts: new Date(Date.parse(T) + 49_000).toISOString() });
  });

  test('simulated: a tie larger than 100 pages is split on created_at and read to the end', async () => {
    const T = '2026-03-01T00:00:00.000Z';
    // 100 pages of 10 hold 1,000: a 6,000-way tie needs creation slices (the same shape as 60,000 at 500 a page).
    const all = Array.from({ length: 6000 }, (_, i) => ({ ts: T, id: `t${String(i).padStart(5, '0')}`, created: Date.parse('2025-01-01T00:00:00.000Z') + i * 60_000 }));
    const { got, requests, last } = await readAllPages(all, 10, { pageCap: 100 });
    expect(new Set(got).size).toBe(all.length);
    expect(last).toEqual({ ts: T, complete: true });
    expect(requests).toBeLessThan(2 * (all.length / 10));
  });

  test('simulated: a tie of one creation instant beyond 100 pages fails with one clear line instead of looping', async () => {
    const T = '2026-03-01T00:00:00.000Z';
    const all = Array.from({ length: 1200 }, (_, i) => ({ ts: T, id: `t${String(i).padStart(5, '0')}`, created: Date.parse(T) }));
    await expect(readAllPages(all, 10, { pageCap: 100 })).rejects.toThrow(/1200 records share updated_at .* and created_at/);
  });
});
