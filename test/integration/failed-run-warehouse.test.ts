import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runTarget, tableCounts } from '../../packages/duckdb-loader/src';
import type { Sandbox } from '../../src/sandbox/server';
import { baseConfig, discover, registerSecret, runTap, selectAll, testSandbox, tmp, writeJson, type Message, type TapRun } from '../helpers/harness';

/**
 * Issue 10 item 1: a run that fails must leave every table as it was. A first run (no --state) of Replace streams
 * used to send ACTIVATE_VERSION before any record, so a wrong key (exit 3) or an unreachable host took a loaded
 * warehouse's tags and users to zero rows. Checked through the bundled DuckDB target, as a user would pipe it.
 * Item 7 rides along: an unreachable Kustomer stops the run with exit 5 and one line, within connect_retry_seconds.
 */

const STREAMS = ['tags', 'users', 'teams', 'customers', 'customer_emails'];
let sb: Sandbox;
let catalog: { streams: Message[] };
let database: string;
let loaded: Record<string, { rows: number; deleted: number }>;

async function load(run: TapRun): Promise<void> {
  const input = new PassThrough();
  const output = new PassThrough();
  output.resume();
  const done = runTarget(input, output, { database, log: () => undefined });
  input.end(run.stdout);
  await done;
}

async function syncWith(config: Record<string, unknown>, level = 'warn'): Promise<TapRun> {
  const dir = tmp('failed-run-');
  const args = ['--config', writeJson(dir, 'config.json', { ...baseConfig(sb), ...config }), '--catalog', writeJson(dir, 'catalog.json', catalog)];
  return runTap([...args, '--progress-seconds', '0', '--log-level', level]);
}

beforeAll(async () => {
  sb = await testSandbox();
  catalog = selectAll(await discover(sb), STREAMS);
  database = join(tmp('failed-run-db-'), 'warehouse.duckdb');
  const first = await syncWith({});
  expect(first.code).toBe(0);
  await load(first);
  loaded = await tableCounts(database);
  for (const s of STREAMS) expect({ s, rows: loaded[s]?.rows ?? 0 }).not.toEqual({ s, rows: 0 });
});
afterAll(() => sb?.close());

test('a refused key (exit 3) on a run without --state leaves every table as it was', async () => {
  const wrongKey = 'wrong-key-0123456789abcdef';
  registerSecret(wrongKey);
  const run = await syncWith({ api_key: wrongKey });
  expect(run.code).toBe(3);
  expect(run.messages.filter((m) => m.type === 'ACTIVATE_VERSION')).toEqual([]);
  await load(run);
  expect(await tableCounts(database)).toEqual(loaded);
});

test('an unreachable host (exit 5, one line) on a run without --state leaves every table as it was', async () => {
  const closed = await testSandbox();
  const url = closed.url;
  await closed.close(); // nothing listens there any more: connection refused
  const run = await syncWith({ base_url: url, connect_retry_seconds: 1 }, 'info');
  expect(run.code).toBe(5);
  // At the default level: what the run set out to do, then one line for the outage (no retry lines, no metric per
  // attempt, nothing per stream).
  expect(run.stderr.filter((l) => !/^INFO syncing /.test(l))).toEqual([
    expect.stringMatching(/^ERROR cannot reach Kustomer at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED.*connect_retry_seconds/),
  ]);
  expect(run.messages.filter((m) => m.type === 'ACTIVATE_VERSION')).toEqual([]);
  await load(run);
  expect(await tableCounts(database)).toEqual(loaded);
});

test('a Replace stream activates its new version only after its last record', async () => {
  const run = await syncWith({});
  expect(run.code).toBe(0);
  for (const stream of ['tags', 'users', 'teams']) {
    const own = run.messages.filter((m) => m.stream === stream && (m.type === 'RECORD' || m.type === 'ACTIVATE_VERSION'));
    expect(own.filter((m) => m.type === 'ACTIVATE_VERSION')).toHaveLength(1);
    expect(own[own.length - 1]).toMatchObject({ type: 'ACTIVATE_VERSION', version: own[0]!.version });
  }
  await load(run);
  expect(await tableCounts(database)).toEqual(loaded);
});
