/** The DuckDB loader's tables: typed columns and their evolution, upserts by key, soft and hard deletes, compound keys,
 * append-only streams, ACTIVATE_VERSION, values that do not fit, changed keys, a 20k-record batch, and a database file
 * named like the schema. */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { readTable, runTarget, tableColumns, tableCounts } from '../../packages/duckdb-loader/src';
import { type Msg, record, run, schema, state, USERS, useScratchDir } from '../helpers/duckdb-loader';

const { dir, freshDb } = useScratchDir();

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

describe('database file named like the schema', () => {
  it('loads into kustomer.duckdb (DuckDB names the database after the file, so names are fully qualified)', async () => {
    const db = join(dir(), 'kustomer.duckdb');
    const r = await run(db, [
      schema('tags', { id: { type: 'string' }, name: { type: ['null', 'string'] } }),
      record('tags', { id: 't1', name: 'vip' }),
      state({ bookmarks: {} }),
    ]);
    expect(r.error).toBeUndefined();
    expect((await tableCounts(db)).tags).toEqual({ rows: 1, deleted: 0 });
  });
});
