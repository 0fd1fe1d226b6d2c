/** The DuckDB loader's command line (`main`): input errors, the config file and flags, usage errors and --help. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableCounts } from '../../packages/duckdb-loader/src';
import { record, runCli, schema, state, USERS, useScratchDir } from '../helpers/duckdb-loader';

const { dir, freshDb } = useScratchDir();

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
    const config = join(dir(), 'config.json');
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
    const bad = join(dir(), 'bad.json');
    writeFileSync(bad, JSON.stringify({ batch_size: -1 }));
    const res = await runCli(['--config', bad], []);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/config file .*batch_size/);
    const help = await runCli(['--help'], []);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--database <file>/);
  });
});
