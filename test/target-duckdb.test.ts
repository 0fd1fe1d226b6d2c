import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { main } from '../packages/duckdb-loader/src/cli';
import {
  DuckDbLoader,
  readTable,
  runTarget,
  type RunTargetOptions,
  tableColumns,
  tableCounts,
  TargetError,
  type TargetSummary,
} from '../packages/duckdb-loader/src';

let dir: string;
let dbCounter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tap-kustomer-duckdb-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
function freshDb(): string {
  dbCounter++;
  return join(dir, `t${dbCounter}.duckdb`);
}

type Msg = Record<string, unknown>;
const schema = (stream: string, properties: Record<string, unknown>, key_properties: string[] = ['id']): Msg => ({
  type: 'SCHEMA',
  stream,
  schema: { type: 'object', properties },
  key_properties,
});
const record = (stream: string, rec: Record<string, unknown>, extra: Msg = {}): Msg => ({
  type: 'RECORD',
  stream,
  record: rec,
  time_extracted: '2024-05-01T10:00:00Z',
  ...extra,
});
const state = (value: unknown): Msg => ({ type: 'STATE', value });

const USERS = {
  id: { type: 'string' },
  name: { type: ['null', 'string'] },
  age: { type: ['null', 'integer'] },
  updated_at: { type: ['null', 'string'], format: 'date-time' },
  _sdc_deleted_at: { type: ['null', 'string'], format: 'date-time' },
};

interface RunResult {
  stdout: string[];
  stderr: string[];
  summary?: TargetSummary;
  error?: TargetError;
}

async function run(database: string, messages: (Msg | string)[], opts: Partial<RunTargetOptions> = {}): Promise<RunResult> {
  const input = new PassThrough();
  const output = new PassThrough();
  const out: string[] = [];
  output.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  const stderr: string[] = [];
  for (const m of messages) input.write((typeof m === 'string' ? m : JSON.stringify(m)) + '\n');
  input.end();
  const result: RunResult = { stdout: [], stderr };
  try {
    result.summary = await runTarget(input, output, { database, log: (l) => stderr.push(l), ...opts });
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
    result.error = e;
  }
  result.stdout = out.join('').split('\n').filter((l) => l !== '');
  return result;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function runCli(argv: string[], lines: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdin = new PassThrough();
  stdin.end(lines.map((l) => l + '\n').join(''));
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdin, stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('tap-kustomer-duckdb loader', () => {
  test('creates the table with typed columns and _sdc metadata, then evolves it', async () => {
    const db = freshDb();
    const props = {
      id: { type: 'string' },
      n: { type: ['null', 'integer'] },
      score: { type: ['null', 'number'] },
      flag: { type: ['null', 'boolean'] },
      created_at: { type: ['null', 'string'], format: 'date-time' },
      tags: { type: ['null', 'array'], items: { type: 'string' } },
      custom: { type: ['null', 'object'] },
      anything: {},
    };
    const r1 = await run(db, [
      schema('things', props),
      record('things', {
        id: 'a',
        n: 9007199254740991,
        score: 1.5,
        flag: true,
        created_at: '2024-01-02T03:04:05.123456+02:00',
        tags: ['x', 'y'],
        custom: { 'Loyalty Tier': 'gold', nested: { k: 1 } },
        anything: 'text',
      }, { version: 7 }),
    ]);
    expect(r1.error).toBeUndefined();
    expect(await tableColumns(db, 'things')).toEqual([
      { name: 'id', type: 'VARCHAR' },
      { name: 'n', type: 'BIGINT' },
      { name: 'score', type: 'DOUBLE' },
      { name: 'flag', type: 'BOOLEAN' },
      { name: 'created_at', type: 'TIMESTAMPTZ' },
      { name: 'tags', type: 'JSON' },
      { name: 'custom', type: 'JSON' },
      { name: 'anything', type: 'JSON' },
      { name: '_sdc_extracted_at', type: 'TIMESTAMPTZ' },
      { name: '_sdc_received_at', type: 'TIMESTAMPTZ' },
      { name: '_sdc_deleted_at', type: 'TIMESTAMPTZ' },
      { name: '_sdc_table_version', type: 'BIGINT' },
      { name: '_sdc_sequence', type: 'BIGINT' },
    ]);
    const [row] = await readTable(db, 'things');
    expect(row).toMatchObject({
      id: 'a',
      n: 9007199254740991,
      score: 1.5,
      flag: true,
      created_at: '2024-01-02T01:04:05.123456Z',
      tags: ['x', 'y'],
      custom: { 'Loyalty Tier': 'gold', nested: { k: 1 } },
      anything: 'text',
      _sdc_extracted_at: '2024-05-01T10:00:00.000Z',
      _sdc_deleted_at: null,
      _sdc_table_version: 7,
    });
    expect(typeof row?.['_sdc_received_at']).toBe('string');
    expect(typeof row?.['_sdc_sequence']).toBe('number');

    // Second run: a new column, a BIGINT widened to DOUBLE, a BOOLEAN that became a string, a number that became
    // multi-typed (JSON), a date-time that lost its format (VARCHAR).
    const r2 = await run(db, [
      schema('things', {
        ...props,
        n: { type: ['null', 'number'] },
        flag: { type: ['null', 'string'] },
        score: { type: ['null', 'number', 'string'] },
        created_at: { type: ['null', 'string'] },
        extra: { type: ['null', 'string'] },
      }),
      record('things', { id: 'b', n: 2.5, flag: 'maybe', score: 'high', created_at: 'yesterday', extra: 'e' }),
    ]);
    expect(r2.error).toBeUndefined();
    expect(r2.stderr.join('\n')).toMatch(/evolved table kustomer\.things: \+extra VARCHAR/);
    const types = Object.fromEntries((await tableColumns(db, 'things')).map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ n: 'DOUBLE', flag: 'VARCHAR', score: 'JSON', created_at: 'VARCHAR', extra: 'VARCHAR' });
    const rows = await readTable(db, 'things');
    expect(rows.map((r) => [r['id'], r['n'], r['flag'], r['score'], r['created_at'], r['extra']])).toEqual([
      ['a', 9007199254740991, 'true', 1.5, '2024-01-02T01:04:05.123456Z', null],
      ['b', 2.5, 'maybe', 'high', 'yesterday', 'e'],
    ]);
  });

  test('upserts by key: last record per key wins within a batch and across batches', async () => {
    const db = freshDb();
    const msgs: Msg[] = [schema('users', USERS)];
    for (let i = 0; i < 5; i++) msgs.push(record('users', { id: `u${i}`, name: `first ${i}`, age: i }));
    msgs.push(record('users', { id: 'u1', name: 'second 1', age: 11 }));
    msgs.push(record('users', { id: 'u1', name: 'third 1', age: 111 }));
    msgs.push(record('users', { id: 'u3', name: 'second 3', age: null }));
    const r = await run(db, msgs);
    expect(r.error).toBeUndefined();
    let rows = await readTable(db, 'users');
    expect(rows.map((x) => [x['id'], x['name'], x['age']])).toEqual([
      ['u0', 'first 0', 0],
      ['u1', 'third 1', 111],
      ['u2', 'first 2', 2],
      ['u3', 'second 3', null],
      ['u4', 'first 4', 4],
    ]);
    expect(r.summary?.streams[0]).toMatchObject({ received: 8, upserted: 5 });

    // Small batches: the same key lands in several transactions.
    const msgs2: Msg[] = [schema('users', USERS)];
    for (let i = 0; i < 10; i++) msgs2.push(record('users', { id: `u${i % 3}`, name: `v${i}`, age: i }));
    const r2 = await run(db, msgs2, { batchSize: 4 });
    expect(r2.error).toBeUndefined();
    rows = await readTable(db, 'users');
    expect(rows.map((x) => [x['id'], x['name']])).toEqual([
      ['u0', 'v9'],
      ['u1', 'v7'],
      ['u2', 'v8'],
      ['u3', 'second 3'],
      ['u4', 'first 4'],
    ]);
  });

  test('soft delete keeps the row with _sdc_deleted_at and its last known values; a tombstone without a row writes nothing', async () => {
    const db = freshDb();
    const del = '2024-06-01T00:00:00Z';
    await run(db, [
      schema('users', USERS),
      record('users', { id: 'a', name: 'Ann', age: 30 }),
      record('users', { id: 'b', name: 'Bob', age: 40 }),
      state({ n: 1 }),
    ]);
    const r = await run(db, [
      schema('users', USERS),
      record('users', { id: 'a', name: null, age: null, _sdc_deleted_at: del }),
      record('users', { id: 'ghost', name: null, age: null, _sdc_deleted_at: del }),
      // live then tombstone in the same batch: kept, marked deleted
      record('users', { id: 'c', name: 'Cid', age: 5 }),
      record('users', { id: 'c', _sdc_deleted_at: del }),
    ]);
    expect(r.error).toBeUndefined();
    const rows = await readTable(db, 'users');
    expect(rows.map((x) => [x['id'], x['name'], x['age'], x['_sdc_deleted_at']])).toEqual([
      ['a', 'Ann', 30, '2024-06-01T00:00:00.000Z'],
      ['b', 'Bob', 40, null],
      ['c', 'Cid', 5, '2024-06-01T00:00:00.000Z'],
    ]);
    expect(r.summary?.streams[0]).toMatchObject({ softDeleted: 2, tombstonesIgnored: 1, upserted: 0 });
    expect(await tableCounts(db)).toEqual({ users: { rows: 3, deleted: 2 } });

    // A later live record resurrects the row.
    await run(db, [schema('users', USERS), record('users', { id: 'a', name: 'Ann again', age: 31 })]);
    const a = (await readTable(db, 'users')).find((x) => x['id'] === 'a');
    expect(a).toMatchObject({ name: 'Ann again', age: 31, _sdc_deleted_at: null });
  });

  test('hard delete removes the row; tombstones never create rows', async () => {
    const db = freshDb();
    const del = '2024-06-01T00:00:00Z';
    const r = await run(
      db,
      [
        schema('users', USERS),
        record('users', { id: 'a', name: 'Ann', age: 30 }),
        record('users', { id: 'b', name: 'Bob', age: 40 }),
        state({ n: 1 }),
        record('users', { id: 'a', _sdc_deleted_at: del }),
        record('users', { id: 'ghost', _sdc_deleted_at: del }),
        record('users', { id: 'c', name: 'Cid', age: 5 }),
        record('users', { id: 'c', _sdc_deleted_at: del }),
      ],
      { hardDelete: true, stateIntervalMs: 0 },
    );
    expect(r.error).toBeUndefined();
    expect((await readTable(db, 'users')).map((x) => x['id'])).toEqual(['b']);
    expect(r.summary?.streams[0]).toMatchObject({ hardDeleted: 1, tombstonesIgnored: 2 });
    expect(r.stderr.join('\n')).toMatch(/"users" -> kustomer\.users: .*1 deleted \(hard\)/);
  });

  test('compound keys; tombstones for positions that never existed leave no phantom rows', async () => {
    const db = freshDb();
    const props = {
      customer_id: { type: 'string' },
      index: { type: 'integer' },
      email: { type: ['null', 'string'] },
      _sdc_deleted_at: { type: ['null', 'string'], format: 'date-time' },
    };
    const keys = ['customer_id', 'index'];
    await run(db, [
      schema('customer_emails', props, keys),
      record('customer_emails', { customer_id: 'c1', index: 0, email: 'a@x' }),
      record('customer_emails', { customer_id: 'c1', index: 1, email: 'b@x' }),
      record('customer_emails', { customer_id: 'c2', index: 0, email: 'c@x' }),
      record('customer_emails', { customer_id: 'c1', index: 1, email: 'b2@x' }),
    ]);
    // c1 shrinks to one email: the tap tombstones positions 1..4, of which only 1 ever existed.
    const r = await run(db, [
      schema('customer_emails', props, keys),
      record('customer_emails', { customer_id: 'c1', index: 0, email: 'a@x' }),
      ...[1, 2, 3, 4].map((i) =>
        record('customer_emails', { customer_id: 'c1', index: i, email: null, _sdc_deleted_at: '2024-06-01T00:00:00Z' }),
      ),
    ]);
    expect(r.error).toBeUndefined();
    const rows = await readTable(db, 'customer_emails');
    expect(rows.map((x) => [x['customer_id'], x['index'], x['email'], x['_sdc_deleted_at'] !== null])).toEqual([
      ['c1', 0, 'a@x', false],
      ['c1', 1, 'b2@x', true],
      ['c2', 0, 'c@x', false],
    ]);
    expect(r.summary?.streams[0]).toMatchObject({ softDeleted: 1, tombstonesIgnored: 3 });

    // The key is recorded in the table comment (not a PRIMARY KEY constraint, see ensureTable).
    const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const conn = await instance.connect();
    const meta = (
      await conn.runAndReadAll(
        `SELECT t.comment, (SELECT count(*) FROM duckdb_constraints() c WHERE c.table_name = t.table_name AND c.constraint_type = 'PRIMARY KEY')
         FROM duckdb_tables() t WHERE t.table_name = 'customer_emails'`,
      )
    ).getRowsJS();
    conn.closeSync();
    instance.closeSync();
    expect(meta).toEqual([['{"key_properties":["customer_id","index"]}', 0n]]);
  });

  test('a stream without key_properties is append-only', async () => {
    const db = freshDb();
    const r = await run(db, [
      schema('events', { id: { type: 'string' }, v: { type: 'integer' } }, []),
      record('events', { id: 'e', v: 1 }),
      record('events', { id: 'e', v: 2 }),
    ]);
    expect(r.error).toBeUndefined();
    expect((await readTable(db, 'events')).map((x) => x['v']).sort()).toEqual([1, 2]);
  });

  test('ACTIVATE_VERSION removes rows of older versions (and rows without a version)', async () => {
    const db = freshDb();
    const props = { id: { type: 'string' }, name: { type: ['null', 'string'] } };
    await run(db, [
      schema('teams', props),
      record('teams', { id: 'legacy', name: 'no version' }),
      record('teams', { id: 't1', name: 'one' }, { version: 100 }),
      record('teams', { id: 't2', name: 'two' }, { version: 100 }),
      { type: 'ACTIVATE_VERSION', stream: 'teams', version: 100 },
    ]);
    expect((await readTable(db, 'teams')).map((x) => x['id'])).toEqual(['t1', 't2']);

    const r = await run(db, [
      schema('teams', props),
      record('teams', { id: 't2', name: 'two v2' }, { version: 200 }),
      record('teams', { id: 't3', name: 'three' }, { version: 200 }),
      { type: 'ACTIVATE_VERSION', stream: 'teams', version: 200 },
      { type: 'ACTIVATE_VERSION', stream: 'nothing_here', version: 200 },
    ]);
    expect(r.error).toBeUndefined();
    const rows = await readTable(db, 'teams');
    expect(rows.map((x) => [x['id'], x['name'], x['_sdc_table_version']])).toEqual([
      ['t2', 'two v2', 200],
      ['t3', 'three', 200],
    ]);
    expect(r.summary?.streams[0]).toMatchObject({ versionDeleted: 1 });
    expect(r.stderr.join('\n')).toMatch(/ACTIVATE_VERSION for stream "nothing_here", which has no table; ignored/);
  });

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
    const { TargetAbortedError } = await import('../packages/duckdb-loader/src/types');
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

  test('a value that does not fit its column is a clear input error naming the column', async () => {
    const r = await run(freshDb(), [
      schema('users', USERS),
      record('users', { id: 'a', updated_at: 'not a date' }),
      state({ s: 1 }),
    ]);
    expect(r.error?.exitCode).toBe(2);
    expect(r.error?.message).toMatch(/"updated_at" does not fit column type TIMESTAMPTZ/);
    expect(r.stdout).toEqual([]);
  });

  test('a changed key_properties changes the upsert key; a conflicting PRIMARY KEY made elsewhere is dropped', async () => {
    const db = freshDb();
    const props = { id: { type: 'string' }, org: { type: 'string' }, v: { type: ['null', 'integer'] } };
    await run(db, [schema('items', props, ['id']), record('items', { id: 'a', org: 'o1', v: 1 })]);
    const r = await run(db, [
      schema('items', props, ['id', 'org']),
      record('items', { id: 'a', org: 'o2', v: 2 }),
      record('items', { id: 'a', org: 'o1', v: 3 }),
    ]);
    expect(r.error).toBeUndefined();
    expect((await readTable(db, 'items')).map((x) => [x['id'], x['org'], x['v']])).toEqual([
      ['a', 'o1', 3],
      ['a', 'o2', 2],
    ]);

    // A table another tool created with PRIMARY KEY (id), loaded with key (id, org) and a widened key column.
    const db2 = freshDb();
    const instance = await DuckDBInstance.create(db2);
    const conn = await instance.connect();
    await conn.run(`CREATE SCHEMA kustomer; CREATE TABLE kustomer.items (id BIGINT PRIMARY KEY, org VARCHAR, v BIGINT);
      INSERT INTO kustomer.items VALUES (1, 'o1', 10), (2, 'o1', 20)`);
    conn.closeSync();
    instance.closeSync();
    const r2 = await run(db2, [
      schema('items', { ...props, id: { type: 'string' } }, ['id', 'org']),
      record('items', { id: '1', org: 'o2', v: 11 }),
      record('items', { id: '2', org: 'o1', v: 21 }),
    ]);
    expect(r2.error).toBeUndefined();
    expect(r2.stderr.join('\n')).toMatch(/rebuilding table kustomer\.items without its PRIMARY KEY \(id\): the stream's key is now \(id, org\)/);
    const rows = (await readTable(db2, 'items')).map((x) => [x['id'], x['org'], x['v']]);
    expect(rows).toEqual([
      ['1', 'o1', 10],
      ['1', 'o2', 11],
      ['2', 'o1', 21],
    ]);
  });

  test('loads a 20k-record batch quickly enough (time printed, not asserted)', async () => {
    const n = Number(process.env['TARGET_BENCH_RECORDS'] ?? 20_000);
    const stateEvery = Number(process.env['TARGET_BENCH_STATE_EVERY'] ?? 0);
    const db = freshDb();
    const props = {
      id: { type: 'string' },
      name: { type: ['null', 'string'] },
      status: { type: ['null', 'string'] },
      priority: { type: ['null', 'integer'] },
      score: { type: ['null', 'number'] },
      open: { type: ['null', 'boolean'] },
      created_at: { type: ['null', 'string'], format: 'date-time' },
      updated_at: { type: ['null', 'string'], format: 'date-time' },
      tags: { type: ['null', 'array'], items: { type: 'string' } },
      custom: { type: ['null', 'object'] },
      assigned_user_ids: { type: ['null', 'array'], items: { type: 'string' } },
      _sdc_deleted_at: { type: ['null', 'string'], format: 'date-time' },
    };
    const lines: string[] = [JSON.stringify(schema('conversations', props))];
    const base = Date.parse('2024-01-01T00:00:00Z');
    for (let i = 0; i < n; i++) {
      lines.push(
        JSON.stringify(
          record('conversations', {
            id: `5faaf4a6ea0cb48cd${String(i).padStart(7, '0')}`,
            name: `Conversation number ${i} about an order that went wrong`,
            status: i % 3 ? 'open' : 'done',
            priority: i % 5,
            score: i / 7,
            open: i % 2 === 0,
            created_at: new Date(base + i * 1000).toISOString(),
            updated_at: new Date(base + i * 2000).toISOString(),
            tags: ['billing', `tag-${i % 17}`],
            custom: { orderNumberStr: `ORD-${i}`, vipBool: i % 11 === 0 },
            assigned_user_ids: ['5faaf4a6ea0cb48cd0801bbf'],
            _sdc_deleted_at: null,
          }),
        ),
      );
      if (stateEvery && (i + 1) % stateEvery === 0) lines.push(JSON.stringify(state({ i })));
    }
    lines.push(JSON.stringify(state({ done: true })));
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const started = Date.now();
    const done = runTarget(input, output, { database: db, log: () => undefined });
    input.end(lines.join('\n') + '\n');
    const summary = await done;
    const secs = (Date.now() - started) / 1000;
    // eslint-disable-next-line no-console
    console.log(
      `tap-kustomer-duckdb: ${n} records${stateEvery ? ` (STATE every ${stateEvery})` : ''} in ${secs.toFixed(2)}s = ${Math.round(n / secs)} records/s`,
    );
    expect(summary.streams[0]?.upserted).toBe(n);
    expect((await tableCounts(db))['conversations']).toEqual({ rows: n, deleted: 0 });
  });
});

describe('tap-kustomer-duckdb CLI (main)', () => {
  const S = JSON.stringify(schema('users', USERS));
  const R = JSON.stringify(record('users', { id: 'a', name: 'Ann' }));
  const ST = JSON.stringify(state({ s: 1 }));

  test('RECORD before SCHEMA: exit 2, one clear line on stderr, nothing on stdout', async () => {
    const res = await runCli(['--database', freshDb()], [R, S]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    const errLines = res.stderr.split('\n').filter((l) => l.startsWith('ERROR'));
    expect(errLines).toEqual(['ERROR line 1: RECORD for stream "users" arrived before its SCHEMA']);
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('a non-JSON line: exit 2', async () => {
    const res = await runCli(['--database', freshDb()], [S, 'this is not json', R]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/ERROR line 2: not a JSON object: this is not json/);
    expect(res.stdout).toBe('');
  });

  test('loads, prints the state on stdout, and reads options from the config file', async () => {
    const db = freshDb();
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ database: db, schema: 'crm', hard_delete: true, batch_size: 2, extra_key: 1 }));
    const del = JSON.stringify(record('users', { id: 'a', _sdc_deleted_at: '2024-01-01T00:00:00Z' }));
    const res = await runCli(['--config', config], [S, R, ST, del, JSON.stringify(state({ s: 2 }))]);
    expect(res.code).toBe(0);
    // {"s":1} arrived with a record buffered and was superseded before the next flush; only the last is printed.
    expect(res.stdout).toBe('{"s":2}\n');
    expect(await tableCounts(db, 'crm')).toEqual({ users: { rows: 0, deleted: 0 } });

    // A flag wins over the config: soft delete.
    const db2 = freshDb();
    const res2 = await runCli(['--config', config, '--no-hard-delete', '--database', db2], [S, R, ST, del]);
    expect(res2.code).toBe(0);
    expect(await tableCounts(db2, 'crm')).toEqual({ users: { rows: 1, deleted: 1 } });
  });

  test('usage errors exit 2; --help exits 0', async () => {
    expect((await runCli([], [S])).code).toBe(2);
    expect((await runCli(['--database', freshDb(), '--batch-size', '0'], [S])).code).toBe(2);
    expect((await runCli(['--bogus'], [])).code).toBe(2);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ batch_size: -1 }));
    const res = await runCli(['--config', bad], []);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/config file .*batch_size/);
    const help = await runCli(['--help'], []);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--database <file>/);
  });
});

describe('database file named like the schema', () => {
  it('loads into kustomer.duckdb (DuckDB names the database after the file, so names are fully qualified)', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { PassThrough } = await import('node:stream');
    const { runTarget, tableCounts } = await import('../packages/duckdb-loader/src');
    const db = join(mkdtempSync(join(tmpdir(), 'duck-')), 'kustomer.duckdb');
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const done = runTarget(input, output, { database: db, log: () => undefined });
    input.end(
      [
        { type: 'SCHEMA', stream: 'tags', schema: { type: 'object', properties: { id: { type: 'string' }, name: { type: ['null', 'string'] } } }, key_properties: ['id'] },
        { type: 'RECORD', stream: 'tags', record: { id: 't1', name: 'vip' } },
        { type: 'STATE', value: { bookmarks: {} } },
      ]
        .map((m) => JSON.stringify(m))
        .join('\n') + '\n',
    );
    await done;
    expect((await tableCounts(db)).tags).toEqual({ rows: 1, deleted: 0 });
  });
});
