import type { Sandbox } from '../../src/sandbox/server';
import { Logger } from '../../src/log';
import { Progress } from '../../src/sync/progress';
import type { KustomerClient } from '../../src/kustomer-client/client';
import type { RateBudget } from '../../src/kustomer-client/rate-budget';
import type { StreamOutput } from '../../src/sync/output';
import { API_KEY, baseConfig, discover, runTap, selectAll, testSandbox, tmp, writeJson, type Message } from '../helpers/harness';

/**
 * Issue 10 item 8: the run says what it will do and what it did. At the start, which streams run and why; at the
 * end, a per-stream table besides the METRIC lines; one progress line per interval for the whole run;
 * `--log-level debug` shows each request; JSON log lines all carry the same fields, METRIC lines included.
 */

let sb: Sandbox;
let discovered: { streams: Message[] };
beforeAll(async () => {
  sb = await testSandbox();
  discovered = await discover(sb);
});
afterAll(() => sb?.close());

async function run(extra: string[], catalog?: unknown) {
  const dir = tmp('run-report-');
  const args = ['--config', writeJson(dir, 'config.json', baseConfig(sb)), '--progress-seconds', '0', ...extra];
  if (catalog) args.push('--catalog', writeJson(dir, 'catalog.json', catalog));
  return runTap(args);
}

/** tags chosen in the catalog, users left unset (selected by default), everything else deselected. */
function mixedCatalog(): { streams: Message[] } {
  const catalog = selectAll(discovered, ['tags']);
  for (const entry of catalog.streams) {
    const root = entry.metadata.find((m: Message) => m.breadcrumb.length === 0);
    if (entry.stream === 'users') delete root.metadata.selected;
  }
  return catalog;
}

test('says which streams run and why, and ends with a per-stream table that matches the output', async () => {
  const r = await run([], mixedCatalog());
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('INFO syncing 2 streams: 1 selected in the catalog (tags); 1 selected by default because the catalog leaves them unset (users)');
  const header = r.stderr.findIndex((l) => /^INFO stream +records +tombstones +requests +duration +result$/.test(l));
  expect(header).toBeGreaterThan(-1);
  const rows = new Map(
    r.stderr.slice(header + 1, header + 3).map((l) => {
      const [, stream, records, tombstones, requests, , result] = /^INFO (\S+) +(\d+) +(\d+) +(\d+) +([\d.]+s) +(\S+)$/.exec(l) ?? [];
      return [stream, { records: Number(records), tombstones: Number(tombstones), requests: Number(requests), result }] as const;
    }),
  );
  for (const stream of ['tags', 'users']) {
    const records = r.messages.filter((m) => m.type === 'RECORD' && m.stream === stream).length;
    expect(rows.get(stream)).toEqual({ records, tombstones: 0, requests: expect.any(Number), result: 'ok' });
    expect(rows.get(stream)!.requests).toBeGreaterThan(0);
  }
});

test('without a catalog, says it syncs the streams selected by default', async () => {
  const r = await run(['--log-level', 'info']);
  expect(r.code).toBe(0);
  const defaults = discovered.streams.filter((e) => e.metadata.find((m: Message) => m.breadcrumb.length === 0).metadata['selected-by-default'] === true);
  expect(r.stderr).toContain(`INFO no --catalog: syncing the ${defaults.length} streams selected by default: ${defaults.map((e) => e.stream).join(', ')}`);
});

test('--log-level debug shows each request (never the key)', async () => {
  const r = await run(['--log-level', 'debug'], selectAll(discovered, ['tags']));
  expect(r.code).toBe(0);
  expect(r.stderr.filter((l) => /^DEBUG GET \/v1\/tags → 200 in \d+ ms/.test(l)).length).toBeGreaterThan(0);
  expect(r.stderr.join('\n')).not.toContain(API_KEY);
});

test('--log-format json: every line, METRIC lines included, has level, ts, logger_name and message', async () => {
  const r = await run(['--log-format', 'json'], selectAll(discovered, ['tags']));
  expect(r.code).toBe(0);
  const lines = r.stderr.map((l) => JSON.parse(l) as Record<string, unknown>);
  const metrics = lines.filter((l) => String(l.message).startsWith('METRIC: '));
  expect(metrics.length).toBeGreaterThan(0);
  for (const l of lines) expect(Object.keys(l)).toEqual(expect.arrayContaining(['level', 'ts', 'logger_name', 'message']));
  expect(metrics[0]).toMatchObject({ level: 'info', logger_name: 'tap-kustomer', metric: { type: expect.any(String), metric: expect.any(String) } });
});

test('a progress report is one line for the whole run, however many streams are moving', () => {
  const lines: string[] = [];
  const logger = new Logger({ level: 'info', format: 'text', secrets: [], write: (l) => lines.push(l) });
  const client = { stats: new Map([['customers', { requests: 7, throttled: 1, retries: 0 }]]) } as unknown as KustomerClient;
  const budget = { stats: { acquired: 7 }, allowance: 1000 } as unknown as RateBudget;
  const progress = new Progress(logger, client, budget, 0);
  const outputs = ['customers', 'customer_emails', 'tags'].map((name, i) => ({ name, records: 10 * (i + 1), tombstones: i }) as unknown as StreamOutput);
  progress.track(outputs);
  progress.begin(['customers', 'customer_emails']);
  progress.report();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^INFO progress: 60 records \(\+3 tombstones\), \d+ rec\/s, 7 requests, \d+% of rate budget, 1 x 429; reading customers, customer_emails$/);
});
