import type { Sandbox } from '../../src/sandbox/server';
import { STREAMS } from '../../src/streams/table';
import { discover, lastState, selectAll, sync, testSandbox, type Message } from '../helpers/harness';

/**
 * A position mark (a stream's `max_positions`) that grows goes out in a STATE before the first row that uses it, so a
 * run killed right after that row resumes knowing how far to tombstone. Where the STATE falls (before the page, or
 * in the middle of it, just before the record) is not pinned: only that it comes first.
 */
const byName = new Map(STREAMS.map((d) => [d.name, d]));
/** Position-keyed streams whose parent is a search root: the ones whose marks ride in search bookmarks. */
const TRACKED = new Set(STREAMS.filter((d) => (d.kind === 'child' || (d.kind === 'flatten' && d.positional)) && byName.get(d.parent)?.kind === 'search').map((d) => d.name));

/** Checks every row of a tracked stream against the marks of the last STATE before it; returns how many rows. */
function expectMarksBeforeRows(messages: Message[]): number {
  const marks = new Map<string, number>();
  let rows = 0;
  for (const m of messages) {
    if (m.type === 'STATE') {
      for (const [stream, bm] of Object.entries((m.value?.bookmarks ?? {}) as Record<string, { max_positions?: number }>)) marks.set(stream, bm.max_positions ?? 0);
      continue;
    }
    if (m.type !== 'RECORD' || !TRACKED.has(m.stream) || m.record._sdc_deleted_at !== null) continue;
    const index = m.record.index as number;
    const mark = marks.get(m.stream) ?? 0;
    if (!(index < mark)) throw new Error(`${m.stream}: a row at position ${index} came out while the last STATE's mark was ${mark}`);
    rows++;
  }
  return rows;
}

describe('position marks are persisted before the rows that need them', () => {
  let sb: Sandbox;
  afterAll(() => sb?.close());

  test('a first sync and an incremental one after changes, over many small pages', async () => {
    sb = await testSandbox({ scale: 120 });
    const catalog = selectAll(await discover(sb));
    const first = await sync(sb, { catalog, config: { page_size: 10 } });
    expect(first.code).toBe(0);
    const firstRows = expectMarksBeforeRows(first.messages);
    // Rows past position 0 exist in several tracked streams, so marks did grow during the run.
    const grown = new Set(first.messages.filter((m) => m.type === 'RECORD' && TRACKED.has(m.stream) && (m.record.index as number) > 0).map((m) => m.stream));
    expect(grown.size).toBeGreaterThan(2);
    expect(firstRows).toBeGreaterThan(0);

    await new Promise((r) => setTimeout(r, 5)); // the changes get a later millisecond than the first run's start
    await sb.mutate({ round: 1 });
    const again = await sync(sb, { catalog, config: { page_size: 10 }, state: lastState(first.messages) });
    expect(again.code).toBe(0);
    expect(expectMarksBeforeRows(again.messages)).toBeGreaterThan(0);
  });
});
