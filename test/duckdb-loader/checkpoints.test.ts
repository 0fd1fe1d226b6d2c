/** The DuckDB loader's checkpoints: a STATE is emitted only once the records before it are committed, STATEs between
 * flushes are held, and an abort or a closed stdout leaves exactly the committed rows behind the last printed state. */
import { PassThrough, Writable } from 'node:stream';
import { DuckDbLoader, readTable, runTarget, tableCounts } from '../../packages/duckdb-loader/src';
import { record, run, schema, state, USERS, useScratchDir } from '../helpers/duckdb-loader';

const { freshDb } = useScratchDir();

describe('tap-kustomer-duckdb loader', () => {
  test('STATE values are emitted only after the records before them are committed, in order, nothing else on stdout', async () => {
    const db = freshDb();
    const seen: { value: unknown; committed: number; rows: number }[] = [];
    const loader: DuckDbLoader = await DuckDbLoader.open({
      database: db,
      batchSize: 1000,
      stateIntervalMs: 0,
      log: () => undefined,
      emitState: async (value) => {
        const stats = loader.summary().streams.find((s) => s.stream === 'users');
        seen.push({ value, committed: stats?.upserted ?? 0, rows: await loader.countRows('users') });
      },
    });
    try {
      await loader.handle(schema('users', USERS));
      await loader.handle(state({ step: 0 }));
      for (let i = 0; i < 3; i++) await loader.handle(record('users', { id: `a${i}` }));
      await loader.handle(state({ step: 1 }));
      await loader.handle(state({ step: 1 })); // unchanged: not re-emitted
      for (let i = 0; i < 2; i++) await loader.handle(record('users', { id: `b${i}` }));
      await loader.handle(state({ step: 2 }));
      await loader.handle(record('users', { id: 'c0' }));
      await loader.finish();
    } finally {
      loader.close();
    }
    expect(seen).toEqual([
      { value: { step: 0 }, committed: 0, rows: 0 },
      { value: { step: 1 }, committed: 3, rows: 3 },
      { value: { step: 2 }, committed: 5, rows: 5 },
    ]);
    expect(await tableCounts(db)).toEqual({ users: { rows: 6, deleted: 0 } });

    // Through runTarget: stdout holds exactly the state values, one JSON line each.
    const r = await run(
      freshDb(),
      [
      schema('users', USERS),
      record('users', { id: 'x' }),
      state({ bookmarks: { users: { replication_key_value: '2024-01-01T00:00:00Z' } } }),
      { type: 'BATCH', stream: 'users' },
      { type: 'batch', stream: 'users' },
      record('users', { id: 'y' }),
      state({ bookmarks: { users: { replication_key_value: '2024-02-01T00:00:00Z' } } }),
      ],
      { stateIntervalMs: 0 },
    );
    expect(r.error).toBeUndefined();
    expect(r.stdout.map((l) => JSON.parse(l) as unknown)).toEqual([
      { bookmarks: { users: { replication_key_value: '2024-01-01T00:00:00Z' } } },
      { bookmarks: { users: { replication_key_value: '2024-02-01T00:00:00Z' } } },
    ]);
    expect(r.stderr.filter((l) => l.includes('ignoring message type'))).toHaveLength(1);
  });

  test('STATEs arriving between flushes are held until the next flush, never emitted early', async () => {
    const db = freshDb();
    const seen: { value: unknown; rows: number }[] = [];
    const loader: DuckDbLoader = await DuckDbLoader.open({
      database: db,
      batchSize: 3,
      stateIntervalMs: 60_000,
      log: () => undefined,
      emitState: async (value) => {
        seen.push({ value, rows: await loader.countRows('users') });
      },
    });
    try {
      await loader.handle(schema('users', USERS));
      await loader.handle(state({ s: 0 })); // nothing buffered: emitted at once
      await loader.handle(record('users', { id: 'a' }));
      await loader.handle(state({ s: 1 })); // held
      await loader.handle(record('users', { id: 'b' }));
      await loader.handle(state({ s: 2 })); // held, supersedes s: 1
      expect(seen).toEqual([{ value: { s: 0 }, rows: 0 }]);
      await loader.handle(record('users', { id: 'c' })); // batch full: a, b, c committed, then s: 2
      expect(seen).toEqual([
        { value: { s: 0 }, rows: 0 },
        { value: { s: 2 }, rows: 3 },
      ]);
      await loader.handle(record('users', { id: 'd' }));
      await loader.handle(state({ s: 3 })); // held until the end of the input
      await loader.finish();
    } finally {
      loader.close();
    }
    expect(seen).toEqual([
      { value: { s: 0 }, rows: 0 },
      { value: { s: 2 }, rows: 3 },
      { value: { s: 3 }, rows: 4 },
    ]);
  });

  test('an abort writes nothing uncommitted: the last printed state covers exactly the committed rows', async () => {
    const db = freshDb();
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: string[] = [];
    output.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
    const controller = new AbortController();
    const { TargetAbortedError } = await import('../../packages/duckdb-loader/src/types');
    // Abort while record b is being handled (its undeclared field is reported then), never after a guessed delay:
    // b is in the loader's pending batch, not committed.
    const log = (line: string): void => {
      if (/field "marker"/.test(line)) controller.abort(new TargetAbortedError('received SIGTERM', 143));
    };
    const done = runTarget(input, output, { database: db, log, signal: controller.signal, stateIntervalMs: 0 });
    input.write(JSON.stringify(schema('users', USERS)) + '\n');
    input.write(JSON.stringify(record('users', { id: 'a' })) + '\n');
    input.write(JSON.stringify(state({ at: 'a' })) + '\n');
    input.write(JSON.stringify(record('users', { id: 'b', marker: 1 })) + '\n');
    await expect(done).rejects.toMatchObject({ exitCode: 143 });
    expect(lines).toEqual(['{"at":"a"}']);
    expect((await readTable(db, 'users')).map((x) => x['id'])).toEqual(['a']);
  });

  test('a closed stdout (EPIPE) stops the run with exit code 141', async () => {
    const db = freshDb();
    const input = new PassThrough();
    const output = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    input.end(
      [schema('users', USERS), record('users', { id: 'a' }), state({ s: 1 }), record('users', { id: 'b' })]
        .map((m) => JSON.stringify(m) + '\n')
        .join(''),
    );
    await expect(runTarget(input, output, { database: db, log: () => undefined, stateIntervalMs: 0 })).rejects.toMatchObject({
      exitCode: 141,
    });
    expect((await readTable(db, 'users')).map((x) => x['id'])).toEqual(['a']);
  });
});
