import { parseState, readBookmark, resumeOrder } from '../../src/singer/state';
import { advanceCursor, cursorCovers, earliestCursor, readCursor, withCursor } from '../../src/singer/bookmarks/search';
import { fullTableVersion } from '../../src/singer/bookmarks/full-table';
import { InputError } from '../../src/errors';

describe('state', () => {
  test('parses the shape Meltano hands back, and a whole STATE message too', () => {
    expect(parseState({})).toEqual({ bookmarks: {} });
    const value = { bookmarks: { customers: { replication_key: 'updated_at', replication_key_value: '2026-01-01T00:00:00.000Z' } }, currently_syncing: null };
    expect(parseState(value)).toEqual(value);
    expect(parseState({ type: 'STATE', value })).toEqual(value);
  });

  test('malformed state is a clear input error', () => {
    expect(() => parseState({ bookmarks: [] })).toThrow(InputError);
    expect(() => parseState({ bookmarks: { customers: { replication_key_value: 'yesterday' } } })).toThrow(/not a date-time/);
    expect(() => parseState({ bookmarks: { tags: { version: 'x' } } })).toThrow(/bookmarks.tags.version/);
  });

  test('cursor round-trips through a bookmark, keeping the child high-water mark', () => {
    const c = { ts: '2026-01-01T00:00:00.000Z', seen: ['a', 'b'] };
    const bm = withCursor({ replication_key_value: 'x', max_positions: 4 }, c);
    expect(bm).toEqual({ replication_key: 'updated_at', replication_key_value: c.ts, tie_seen_ids: ['a', 'b'], max_positions: 4 });
    expect(readCursor(bm, 'start')).toEqual(c);
    expect(readCursor(undefined, '2020-01-01T00:00:00Z')).toEqual({ ts: '2020-01-01T00:00:00Z', seen: [] });
    expect(readCursor(withCursor(undefined, { ts: 'T', createdBefore: 'C' }), 's')).toEqual({ ts: 'T', createdBefore: 'C' });
    expect(readCursor(withCursor(undefined, { ts: 'T', complete: true }), 's')).toEqual({ ts: 'T', complete: true });
  });

  test('covers: strictly earlier, or the same instant and already seen', () => {
    const T = '2026-01-01T00:00:00.000Z';
    expect(cursorCovers({ ts: T, seen: ['a'] }, '2025-12-31T00:00:00.000Z', 'z')).toBe(true);
    expect(cursorCovers({ ts: T, seen: ['a'] }, T, 'a')).toBe(true);
    expect(cursorCovers({ ts: T, seen: ['a'] }, T, 'b')).toBe(false);
    expect(cursorCovers({ ts: T, createdBefore: '2025-06-01T00:00:00.000Z' }, T, 'b', '2025-05-01T00:00:00.000Z')).toBe(true);
    expect(cursorCovers({ ts: T, createdBefore: '2025-06-01T00:00:00.000Z' }, T, 'b', '2025-06-01T00:00:00.000Z')).toBe(false);
    expect(cursorCovers({ ts: T, complete: true }, T, 'zz')).toBe(true);
    expect(cursorCovers({ ts: T, complete: true }, '2026-01-01T00:00:00.001Z', 'a')).toBe(false);
  });

  test('a pass shared by several streams starts at the earliest; same instant with different progress restarts it', () => {
    const a = { ts: '2026-01-01T00:00:00.000Z', seen: ['x'] };
    const b = { ts: '2026-02-01T00:00:00.000Z', seen: [] };
    expect(earliestCursor(a, b)).toBe(a);
    expect(earliestCursor(a, { ts: a.ts, complete: true })).toEqual({ ts: a.ts, seen: [] });
  });

  test('advance merges ties at the same instant', () => {
    const T = '2026-01-01T00:00:00.000Z';
    expect(advanceCursor({ ts: T, seen: ['a'] }, [{ ts: T, id: 'b' }])).toEqual({ ts: T, seen: ['a', 'b'] });
  });

  test('old bookmark shapes migrate: an id-ordered tie drain restarts its instant, other kinds keep their own fields', () => {
    const T = '2026-01-01T00:00:00.000Z';
    expect(readBookmark('search', 'customers', { replication_key: 'updated_at', replication_key_value: T, tie_after_id: 'abc', max_positions: 3 })).toEqual({
      replication_key: 'updated_at',
      replication_key_value: T,
      max_positions: 3,
    });
    expect(readCursor(readBookmark('search', 'customers', { replication_key_value: T, tie_after_id: 'abc' }), 's')).toEqual({ ts: T, seen: [] });
    // Audit-log ids (ObjectIds) become the instant they were created; the last entry's instant wins when kept.
    expect(readBookmark('audit', 'audit_logs', { after: '65a0b000aaaaaaaaaaaaaaaa', replication_key: 'created_at', replication_key_value: T })).toEqual({ replication_key: 'created_at', replication_key_value: T });
    expect(readBookmark('audit', 'audit_logs', { after: '65a0b000aaaaaaaaaaaaaaaa' })).toEqual({ replication_key: 'created_at', replication_key_value: '2024-01-12T03:20:32.000Z' });
    expect(readBookmark('search', 'customers', { replication_key_value: T, deletes_after: '65a0b000aaaaaaaaaaaaaaaa' })?.deletes_covered_until).toBe('2024-01-12T03:20:32.000Z');
    expect(readBookmark('search', 'customers', { replication_key_value: T, deletes_since: T })?.deletes_covered_until).toBe(T);
    expect(() => readBookmark('fullTable', 'tags', { version: 2, complete: 'yes' } as never)).toThrow(/bookmarks.tags.complete/);
  });

  test('full-table versions: first run activates first, a resumed run keeps its version, a new run gets a new one', () => {
    expect(fullTableVersion(undefined, 111)).toEqual({ version: 111 });
    expect(fullTableVersion({ version: 50, complete: false }, 111)).toEqual({ version: 50 });
    expect(fullTableVersion({ version: 50, complete: true }, 111)).toEqual({ version: 111 });
    // Written before resumable full-table runs: no `complete`, so that version finished.
    expect(readBookmark('fullTable', 'tags', { version: 50 })).toEqual({ version: 50, complete: true });
  });

  test('resume order starts with the interrupted stream', () => {
    const s = ['a', 'b', 'c'];
    expect(resumeOrder(s, 'b', (x) => x)).toEqual(['b', 'c', 'a']);
    expect(resumeOrder(s, null, (x) => x)).toEqual(s);
  });
});
