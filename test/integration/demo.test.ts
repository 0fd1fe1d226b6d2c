/**
 * `npm run demo` (dist/tools/demo.js) twice in a temp working directory: the first run (full sync, then round 1 and an
 * incremental sync) and a second run (round 2 and an incremental sync), as a new user would see them.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { startSandbox } from '../../src/sandbox/server';
import { recordOutput, registerSecret, ROOT, tmp } from '../helpers/harness';

const DEMO = join(ROOT, 'dist', 'tools', 'demo.js');

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runDemo(cwd: string, args: string[] = []): Promise<DemoRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [DEMO, ...args], { cwd, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      // The demo's key (in its config.json) must never show in what it prints (test/global-teardown.ts checks).
      const config = join(args.includes('--dir') ? (args[args.indexOf('--dir') + 1] as string) : join(cwd, '.demo'), 'config.json');
      if (existsSync(config)) registerSecret((JSON.parse(readFileSync(config, 'utf8')) as { api_key: string }).api_key);
      recordOutput(stdout, stderr);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

/** The output's numbered steps: heading → the lines under it. */
function steps(stdout: string): { heading: string; body: string[] }[] {
  const out: { heading: string; body: string[] }[] = [];
  for (const line of stdout.split('\n')) {
    if (/^\d+\. /.test(line)) out.push({ heading: line, body: [] });
    else if (/^\S/.test(line)) out.push({ heading: line, body: [] }); // "Done in …" and the like end a step
    else out[out.length - 1]?.body.push(line);
  }
  return out;
}

function step(stdout: string, heading: RegExp): string[] {
  const found = steps(stdout).find((s) => heading.test(s.heading));
  if (!found) throw new Error(`no step matching ${heading} in:\n${stdout}`);
  return found.body;
}

const num = (s: string | undefined): number => Number((s ?? '').replace(/,/g, ''));

/** "   customers    500" (first summary): table → live rows. */
function counts(body: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of body) {
    const r = /^ {3}([a-z_]+)\s+([\d,]+)(?:\s+[\d,]+)?$/.exec(line);
    if (r) m.set(r[1] as string, num(r[2]));
  }
  return m;
}

interface Change {
  before: number;
  after: number;
  created: number;
  updated: number;
  deleted: number;
}

/** "   customers   500 → 501   2   27   1" (incremental summary): table → change; "total" for the totals line. */
function changes(body: string[]): Map<string, Change> {
  const m = new Map<string, Change>();
  for (const line of body) {
    const r = /^ {3}([a-z_]+|\d+ tables)\s+([\d,]+) → ([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)$/.exec(line);
    if (r) {
      const name = /tables$/.test(r[1] as string) ? 'total' : (r[1] as string);
      m.set(name, { before: num(r[2]), after: num(r[3]), created: num(r[4]), updated: num(r[5]), deleted: num(r[6]) });
    }
  }
  const unchanged = body.join(' ').match(/unchanged \(\d+\):([\s\S]*?)(?:Rows are|$)/)?.[1] ?? '';
  for (const t of unchanged.split(/[\s,]+/).filter(Boolean)) m.set(t, { before: -1, after: -1, created: 0, updated: 0, deleted: 0 });
  return m;
}

function defaultStreams(catalogFile: string): string[] {
  const catalog = JSON.parse(readFileSync(catalogFile, 'utf8')) as {
    streams: { stream: string; metadata: { breadcrumb: string[]; metadata: Record<string, unknown> }[] }[];
  };
  return catalog.streams.filter((s) => s.metadata.find((m) => m.breadcrumb.length === 0)?.metadata['selected-by-default'] === true).map((s) => s.stream);
}

function expectIncremental(run: DemoRun, round: number): Map<string, Change> {
  expect(run.stdout).toMatch(new RegExp(`^\\d\\. Changing data in the sandbox \\(round ${round}\\): \\d+ updates, \\d+ deletes, \\d+ new records$`, 'm'));
  const body = step(run.stdout, /^\d\. Incremental sync/);
  const c = changes(body);
  for (const table of ['customers', 'conversations']) {
    expect({ table, deleted: c.get(table)?.deleted }).toEqual({ table, deleted: expect.any(Number) });
    expect(c.get(table)!.deleted).toBeGreaterThan(0);
  }
  const total = c.get('total')!;
  expect(total.created).toBeGreaterThan(0);
  expect(total.updated).toBeGreaterThan(0);
  expect(total.deleted).toBeGreaterThan(0);
  expect(total.after).toBe(total.before + total.created - total.deleted);
  return c;
}

describe('npm run demo', () => {
  const cwd = tmp('tap-demo-');
  const dir = join(cwd, '.demo');
  let first: DemoRun;
  let second: DemoRun;

  beforeAll(async () => {
    first = await runDemo(cwd); // --dir defaults to .demo in the working directory
    second = await runDemo(tmp('tap-demo-elsewhere-'), ['--dir', dir]);
  });

  it('first run: discovers, syncs every default stream in full, then changes the org and syncs incrementally', () => {
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^1\. Starting a local Kustomer sandbox at http:\/\/127\.0\.0\.1:\d+$/m);
    expect(first.stdout).toMatch(/^2\. Discovering streams.*\n {3}50 streams, \d+ selected by default/m);

    const full = counts(step(first.stdout, /^3\. Full sync/));
    const defaults = defaultStreams(join(dir, 'catalog.json'));
    expect(defaults.length).toBeGreaterThan(40);
    const empty = defaults.filter((s) => !((full.get(s) ?? 0) > 0));
    expect({ tablesWithoutRows: empty }).toEqual({ tablesWithoutRows: [] });
    expect([...full.keys()].sort()).toEqual([...defaults].sort());

    const c = expectIncremental(first, 1);
    // The incremental summary starts where the full sync left off.
    for (const [table, rows] of full) if (c.get(table)!.before !== -1) expect({ table, before: c.get(table)!.before }).toEqual({ table, before: rows });
    expect(first.stdout).toMatch(/^Done in [\d.]+s\. Everything is in \.demo\/:$/m);
    // The loop closes: warehouse → target-kustomer → the sandbox shows the counts and the VIP audience.
    const back = step(first.stdout, /^\d\. Back into Kustomer/).join('\n');
    const vips = Number(/(\d+) with ≥ \d+ conversations/.exec(back)?.[1]);
    expect(vips).toBeGreaterThan(0);
    expect(back).toMatch(/customer_activity\s+(\d+)\s+0\s+\1\s+0\s+0/);
    expect(back).toContain(`In the sandbox now: ${vips} customers carry the "VIP" tag`);
  });

  it('second run: brings the org back as it was left, applies round 2 and syncs incrementally from the saved state', () => {
    expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 0, stderr: '' });
    expect(second.stdout).toMatch(/round 2: continuing from /);
    expect(second.stdout).toMatch(/as you left it \(round 1 of changes applied\)/);
    expect(second.stdout).not.toMatch(/Full sync|Discovering/);
    const c2 = expectIncremental(second, 2);
    // Rows before the second run's changes are the first run's rows after.
    const c1 = changes(step(first.stdout, /^\d\. Incremental sync/));
    for (const [table, ch] of c2) {
      const prev = c1.get(table);
      if (table !== 'total' && ch.before !== -1 && prev && prev.after !== -1) expect({ table, before: ch.before }).toEqual({ table, before: prev.after });
    }
  });

  it('leaves the warehouse holding exactly the live records of the sandbox org (deleted ones are soft-deleted rows)', async () => {
    const org = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8')) as { seed: number; scale: number; anchor: string; rounds: { round: number; at: string }[] };
    expect(org.rounds.map((r) => r.round)).toEqual([1, 2]);
    let pinned: number | undefined;
    const sandbox = await startSandbox({ seed: org.seed, scale: org.scale, anchor: org.anchor, clock: () => pinned ?? Date.now() });
    const instance = await DuckDBInstance.create(join(dir, 'warehouse.duckdb'), { access_mode: 'READ_ONLY' });
    const conn = await instance.connect();
    try {
      for (const r of org.rounds) {
        pinned = Date.parse(r.at);
        await sandbox.mutate({ round: r.round });
        pinned = undefined;
      }
      const ids = async (sql: string): Promise<string[]> => (await conn.runAndReadAll(sql)).getRows().map((r) => String(r[0])).sort();
      for (const table of ['customers', 'conversations', 'messages', 'notes', 'companies', 'kobjects'] as const) {
        const live = sandbox.data[table].filter((r) => r.attributes.deleted !== true).map((r) => r.id).sort();
        expect({ table, ids: await ids(`SELECT id FROM kustomer.${table} WHERE _sdc_deleted_at IS NULL`) }).toEqual({ table, ids: live });
      }
      const liveCustomers = new Set(sandbox.data.customers.map((r) => r.id));
      const deleted = await ids(`SELECT id FROM kustomer.customers WHERE _sdc_deleted_at IS NOT NULL`);
      expect(deleted.length).toBeGreaterThanOrEqual(2); // one hard delete per round at least
      expect(deleted.filter((id) => liveCustomers.has(id))).toEqual([]);
    } finally {
      conn.closeSync();
      instance.closeSync();
      await sandbox.close();
    }
  });

  it('prints a query that works as printed, from any directory (issue 10)', async () => {
    const line = second.stdout.split('\n').find((l) => /^ {3}node -e "/.test(l));
    expect(line).toBeDefined();
    const child = spawn('sh', ['-c', line!.trim()], { cwd: tmp('tap-demo-query-'), env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out.split('\n').filter((l) => /│|\|/.test(l) && /\d{4}-\d{2}-\d{2}/.test(l)).length).toBe(5);
  });

  it('fails with one clear line, and --reset starts over', async () => {
    const usage = await runDemo(cwd, ['--dir', dir, '--nope']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);

    writeFileSync(join(dir, 'state.json'), '{"bookmarks": ');
    const bad = await runDemo(cwd);
    expect(bad.code).toBe(1);
    const last = bad.stderr.trim().split('\n').pop();
    expect(last).toMatch(/^demo failed at step 3 \(incremental sync\): tap-kustomer exited with code 2 \(bad input\): .*state/);

    const again = await runDemo(cwd, ['--reset']);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    expect(again.stdout).toMatch(/^3\. Full sync/m);
    expect(JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8')).rounds).toHaveLength(1);
  });
});
