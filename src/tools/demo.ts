#!/usr/bin/env node
/**
 * `npm run demo`: the tap end to end with no Kustomer key.
 *
 * It starts the sandbox in this process (seed 1, 500 customers, loopback, an ephemeral port) and runs the real
 * pipeline as two child processes piped together:
 *
 *   node dist/cli.js --config C --catalog K [--state S] | node packages/duckdb-loader/dist/cli.js --database .demo/warehouse.duckdb
 *
 * The target prints a state value after each commit; the last one becomes `.demo/state.json` when both exit 0.
 *
 * - First run (no state): discover into `.demo/catalog.json`, full sync, then one round of changes (updates, soft and
 *   hard deletes, a removed email, a sent draft, new records, a bulk update) and an incremental sync.
 * - Later runs: the sandbox comes back as the user left it, then the next round of changes and an incremental sync.
 *
 * "As the user left it" is exact: `.demo/sandbox.json` keeps the seed, the scale, the org's anchor and the instant each
 * round was applied, and the rounds are replayed at those instants. (Replaying with the sandbox's own `rounds` option
 * would stamp them at anchor + r seconds: the created records would get other ids, since ObjectIds carry their
 * creation second, and the warehouse would keep rows the replayed org no longer has.)
 *
 *   node dist/tools/demo.js [--dir .demo] [--reset]
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { Command, CommanderError } from 'commander';
import type { CollectionName, MutationSummary, Resource } from '../sandbox/model';
import { roundScript } from '../sandbox/mutations';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { DEFAULT_SCHEMA, ident, tableCounts } from 'tap-kustomer-duckdb';
import { reverseEtl } from './demo-reverse-etl';

const SEED = 1;
const SCALE = 500;
const API_KEY = 'demo-sandbox-key';
/** Generous limits: the demo shows the data flowing, not the pacing (which the tap learns from the headers). */
const RATE_LIMIT = 6000;
const SEARCH_RATE_LIMIT = 1200;

/** The warehouse file. Not `kustomer.duckdb`: DuckDB names the database after the file, and what users type,
 * `kustomer.customers`, is then ambiguous between that database and the target's `kustomer` schema. */
const DB_FILE = 'warehouse.duckdb';

const TAP = join(__dirname, '..', 'cli.js');
/** The DuckDB loader's executable, from its own package (packages/duckdb-loader, a workspace of this repository). */
const TARGET = loaderBin();

function loaderBin(): string {
  const manifest = require.resolve('tap-kustomer-duckdb/package.json');
  const { bin } = require(manifest) as { bin: Record<string, string> };
  return join(dirname(manifest), bin['tap-kustomer-duckdb'] as string);
}

/** What the tap's exit codes mean (README, "Exit codes"). */
const TAP_EXIT: Record<number, string> = {
  1: 'internal error',
  2: 'bad input',
  3: 'the API key was refused',
  4: 'some streams failed',
  5: 'the sandbox was unreachable',
  130: 'interrupted',
  141: 'the target closed the pipe',
  143: 'terminated',
};

// ---------------------------------------------------------------------------------------------------------------
// Files

interface Files {
  dir: string;
  sandbox: string;
  config: string;
  catalog: string;
  state: string;
  db: string;
}

function demoFiles(dir: string): Files {
  return {
    dir,
    sandbox: join(dir, 'sandbox.json'),
    config: join(dir, 'config.json'),
    catalog: join(dir, 'catalog.json'),
    state: join(dir, 'state.json'),
    db: join(dir, DB_FILE),
  };
}

/** Removes the demo's own files only (the directory may be one the user chose with --dir). */
function removeDemoFiles(f: Files): void {
  for (const file of [f.sandbox, f.config, f.catalog, f.state, f.db, `${f.db}.wal`]) rmSync(file, { force: true });
}

/** The sandbox org the demo serves: generated from seed/scale/anchor, then each round replayed at its instant. */
interface SandboxFile {
  seed: number;
  scale: number;
  anchor: string;
  rounds: { round: number; at: string }[];
}

function readSandboxFile(file: string): SandboxFile | undefined {
  if (!existsSync(file)) return undefined;
  let v: Partial<SandboxFile>;
  try {
    v = JSON.parse(readFileSync(file, 'utf8')) as Partial<SandboxFile>;
  } catch {
    throw new DemoError(`${show(file)} is not valid JSON; run \`npm run demo -- --reset\` to start over`);
  }
  const ok =
    Number.isInteger(v.seed) &&
    Number.isInteger(v.scale) &&
    typeof v.anchor === 'string' &&
    !Number.isNaN(Date.parse(v.anchor)) &&
    Array.isArray(v.rounds) &&
    v.rounds.every((r, i) => r?.round === i + 1 && typeof r.at === 'string' && !Number.isNaN(Date.parse(r.at)));
  if (!ok) throw new DemoError(`${show(file)} is not a demo sandbox file; run \`npm run demo -- --reset\` to start over`);
  return v as SandboxFile;
}

function writeJsonFile(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, file);
}

/** A path as the user should type it: relative to the working directory when inside it. */
function show(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? p : rel.split(sep).join('/');
}

// ---------------------------------------------------------------------------------------------------------------
// Output

class DemoError extends Error {}

const out = (line = ''): void => {
  process.stdout.write(line + '\n');
};

let stepNo = 0;
let stepTitle = '';
/** Prints `N. title`; `name` is how a failure names the step. */
function step(name: string, title: string): void {
  stepNo++;
  stepTitle = name;
  out();
  out(`${stepNo}. ${title}`);
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
const fmt = (n: number): string => n.toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------------------------
// Child processes

/** Forwards a child's stderr lines, indented and labelled; returns the last ERROR line seen. */
function relay(stream: NodeJS.ReadableStream, label: string, keep: (line: string) => boolean): { lastError: () => string | undefined } {
  let lastError: string | undefined;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    if (/^\s*ERROR\b/.test(line) || /"level":"error"/.test(line)) lastError = line.replace(/^\s*ERROR\s*/, '');
    if (keep(line)) process.stderr.write(`   ${label}: ${line}\n`);
  });
  return { lastError: () => lastError };
}

function exited(child: ReturnType<typeof spawn>, name: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    child.once('error', (err) => reject(new DemoError(`cannot start ${name}: ${err.message}`)));
    child.once('close', (code, signal) => resolvePromise(code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1)));
  });
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 } as Record<string, number>)[signal];
}

function tapFailure(code: number, lastError: string | undefined): string {
  const meaning = TAP_EXIT[code] ? ` (${TAP_EXIT[code]})` : '';
  return `tap-kustomer exited with code ${code}${meaning}${lastError ? `: ${lastError}` : ''}`;
}

/** `tap-kustomer --discover` into the catalog file (written only when discovery succeeds). */
async function discover(f: Files): Promise<void> {
  const tmp = `${f.catalog}.tmp`;
  const file = createWriteStream(tmp);
  await new Promise<void>((res, rej) => file.once('open', () => res()).once('error', rej));
  const tap = spawn(process.execPath, [TAP, '--config', f.config, '--discover', '--log-level', 'warn'], { stdio: ['ignore', file, 'pipe'] });
  const tapLog = relay(tap.stderr as NodeJS.ReadableStream, 'tap', () => true);
  const code = await exited(tap, 'tap-kustomer');
  await new Promise<void>((res) => file.close(() => res()));
  if (code !== 0) {
    rmSync(tmp, { force: true });
    throw new DemoError(tapFailure(code, tapLog.lastError()));
  }
  renameSync(tmp, f.catalog);
}

/** tap | target. Resolves with the last state the target committed; rejects with one line on any failure. */
async function pipeline(f: Files, withState: boolean): Promise<unknown> {
  const tapArgs = [TAP, '--config', f.config, '--catalog', f.catalog, '--log-level', 'warn'];
  if (withState) tapArgs.push('--state', f.state);
  // A real pipe between the two processes, as a shell makes it: the tap writes straight into the target's stdin, so
  // the target dying gives the tap EPIPE (it stops), and the tap exiting gives the target EOF.
  const target = spawn(process.execPath, [TARGET, '--database', f.db], { stdio: ['pipe', 'pipe', 'pipe'] });
  const tap = spawn(process.execPath, tapArgs, { stdio: ['ignore', target.stdin as Writable, 'pipe'] });
  target.stdin?.destroy(); // the tap holds the write end now; ours would keep the target from ever seeing EOF
  const tapLog = relay(tap.stderr as NodeJS.ReadableStream, 'tap', () => true);
  // The target has no log level: its INFO lines (tables created, per-stream load summaries) are left out.
  const targetLog = relay(target.stderr as NodeJS.ReadableStream, 'target', (line) => !/^INFO\b/.test(line));
  let lastState: string | undefined;
  createInterface({ input: target.stdout as NodeJS.ReadableStream, crlfDelay: Infinity }).on('line', (line) => {
    if (line.trim() !== '') lastState = line;
  });
  const [tapCode, targetCode] = await Promise.all([exited(tap, 'tap-kustomer'), exited(target, 'tap-kustomer-duckdb')]);
  if (targetCode !== 0) {
    const why = targetLog.lastError();
    throw new DemoError(`tap-kustomer-duckdb exited with code ${targetCode}${why ? `: ${why}` : ''}`);
  }
  if (tapCode !== 0) throw new DemoError(tapFailure(tapCode, tapLog.lastError()));
  if (lastState === undefined) throw new DemoError('the target printed no state');
  try {
    return JSON.parse(lastState) as unknown;
  } catch {
    throw new DemoError(`the target printed a state that is not JSON: ${lastState.slice(0, 80)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The warehouse: per table, every key with whether it is soft-deleted and a hash of its data columns

interface TableSnap {
  /** key → [soft-deleted, hash of the data columns] */
  rows: Map<string, { deleted: boolean; hash: string }>;
  live: number;
  deleted: number;
}

type Snapshot = Map<string, TableSnap>;

async function snapshot(db: string): Promise<Snapshot> {
  const snap: Snapshot = new Map();
  if (!existsSync(db)) return snap;
  const counts = await tableCounts(db);
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    try {
      const q = async (sql: string, params?: string[]) => (await conn.runAndReadAll(sql, params)).getRows();
      // DuckDB names the database after its file (kustomer.duckdb → kustomer): qualify fully to stay unambiguous.
      const catalog = String((await q('SELECT current_database()'))[0]?.[0]);
      const tables = await q(
        `SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = $1`,
        [DEFAULT_SCHEMA],
      );
      for (const [name, comment] of tables) {
        const table = String(name);
        const cols = (
          await q(
            `SELECT column_name FROM information_schema.columns
             WHERE table_catalog = current_database() AND table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
            [DEFAULT_SCHEMA, table],
          )
        ).map((r) => String(r[0]));
        let key: string[] = [];
        try {
          const k = (JSON.parse(String(comment)) as { key_properties?: unknown }).key_properties;
          if (Array.isArray(k)) key = k.map(String).filter((c) => cols.includes(c));
        } catch {
          // a table the target did not create: no key
        }
        const data = cols.filter((c) => !c.startsWith('_sdc_'));
        const keyExpr = key.length ? `CAST(row(${key.map(ident).join(', ')}) AS VARCHAR)` : `CAST(row(${data.map(ident).join(', ')}) AS VARCHAR)`;
        const deletedExpr = cols.includes('_sdc_deleted_at') ? '_sdc_deleted_at IS NOT NULL' : 'false';
        const hashExpr = data.length ? `md5(CAST(row(${data.map(ident).join(', ')}) AS VARCHAR))` : `''`;
        const rows = new Map<string, { deleted: boolean; hash: string }>();
        for (const [k, d, h] of await q(`SELECT ${keyExpr}, ${deletedExpr}, ${hashExpr} FROM ${ident(catalog)}.${ident(DEFAULT_SCHEMA)}.${ident(table)}`)) {
          rows.set(String(k), { deleted: d === true, hash: String(h) });
        }
        const c = counts[table] ?? { rows: rows.size, deleted: 0 };
        snap.set(table, { rows, live: c.rows - c.deleted, deleted: c.deleted });
      }
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
  return snap;
}

interface TableDiff {
  table: string;
  before: number;
  after: number;
  created: number;
  updated: number;
  deleted: number;
  softDeleted: number;
}

function diff(table: string, before: TableSnap | undefined, after: TableSnap): TableDiff {
  let created = 0;
  let updated = 0;
  let deleted = 0;
  for (const [k, a] of after.rows) {
    const b = before?.rows.get(k);
    const wasLive = b !== undefined && !b.deleted;
    if (!a.deleted && !wasLive) created++;
    else if (!a.deleted && wasLive && a.hash !== b.hash) updated++;
    else if (a.deleted && wasLive) deleted++;
  }
  for (const [k, b] of before?.rows ?? []) if (!b.deleted && !after.rows.has(k)) deleted++; // removed (ACTIVATE_VERSION)
  return { table, before: before?.live ?? 0, after: after.live, created, updated, deleted, softDeleted: after.deleted };
}

/** Tables in catalog order (families together), then any others by name. */
function ordered(tables: Iterable<string>, order: string[]): string[] {
  const rank = new Map(order.map((s, i) => [s, i]));
  return [...tables].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || a.localeCompare(b));
}

function printCounts(snap: Snapshot, order: string[]): void {
  const tables = ordered(snap.keys(), order);
  const w = Math.max(...tables.map((t) => t.length), 5);
  out(`   ${'table'.padEnd(w)}  ${'rows'.padStart(6)}${[...snap.values()].some((s) => s.deleted) ? '   soft-deleted' : ''}`);
  let live = 0;
  let deleted = 0;
  for (const t of tables) {
    const s = snap.get(t) as TableSnap;
    live += s.live;
    deleted += s.deleted;
    out(`   ${t.padEnd(w)}  ${fmt(s.live).padStart(6)}   ${s.deleted ? fmt(s.deleted) : ''}`.trimEnd());
  }
  out(`   ${`${tables.length} tables`.padEnd(w)}  ${fmt(live).padStart(6)}   ${deleted ? fmt(deleted) : ''}`.trimEnd());
}

/** `head` then the items, comma-separated, wrapped at 100 columns under the first item. */
function wrap(head: string, items: string[]): void {
  const indent = ' '.repeat(3 + head.length);
  let line = `   ${head}`;
  items.forEach((item, i) => {
    const piece = item + (i < items.length - 1 ? ',' : '');
    if (line.length + piece.length + 1 > 100 && line.trim() !== head.trim()) {
      out(line);
      line = indent + piece;
    } else {
      line += (line.endsWith(head) ? '' : ' ') + piece;
    }
  });
  out(line);
}

function printChanges(before: Snapshot, after: Snapshot, order: string[]): TableDiff[] {
  const diffs = ordered(after.keys(), order).map((t) => diff(t, before.get(t), after.get(t) as TableSnap));
  const changed = diffs.filter((d) => d.created || d.updated || d.deleted || d.before !== d.after);
  const unchanged = diffs.filter((d) => !changed.includes(d));
  const w = Math.max(...changed.map((d) => d.table.length), 5);
  out(`   ${'table'.padEnd(w)}  ${'rows before → after'.padStart(19)}  ${'new'.padStart(5)}  ${'updated'.padStart(7)}  ${'deleted'.padStart(7)}`);
  const row = (name: string, d: Omit<TableDiff, 'table' | 'softDeleted'>): string =>
    `   ${name.padEnd(w)}  ${fmt(d.before).padStart(8)} → ${fmt(d.after).padEnd(8)}  ${fmt(d.created).padStart(5)}  ${fmt(d.updated).padStart(7)}  ${fmt(d.deleted).padStart(7)}`;
  for (const d of changed) out(row(d.table, d));
  const sum = (k: 'before' | 'after' | 'created' | 'updated' | 'deleted'): number => diffs.reduce((n, d) => n + d[k], 0);
  out(row(`${diffs.length} tables`, { before: sum('before'), after: sum('after'), created: sum('created'), updated: sum('updated'), deleted: sum('deleted') }));
  if (unchanged.length) wrap(`unchanged (${unchanged.length}): `, unchanged.map((d) => d.table));
  const soft = diffs.reduce((n, d) => n + d.softDeleted, 0);
  out(`   Rows are live rows. A deleted row stays in its table with _sdc_deleted_at set (${fmt(soft)} such rows now),`);
  out(`   so it no longer counts; rows that left a Replace stream (a removed tag) were dropped by ACTIVATE_VERSION.`);
  return diffs;
}

// ---------------------------------------------------------------------------------------------------------------
// Sandbox changes

const SOFT_DELETABLE = ['companies', 'notes', 'conversations'] as const;

function softDeletedIds(sandbox: Sandbox): Set<string> {
  const ids = new Set<string>();
  for (const c of SOFT_DELETABLE) for (const r of sandbox.data[c] as Resource[]) if (r.attributes.deleted === true) ids.add(`${c}/${r.id}`);
  return ids;
}

const total = (m: Partial<Record<CollectionName, string[]>>, skip: CollectionName[] = []): number =>
  Object.entries(m).reduce((n, [c, ids]) => n + (skip.includes(c as CollectionName) ? 0 : (ids?.length ?? 0)), 0);

const plural = (n: number, one: string, many = `${one}s`): string => `${fmt(n)} ${n === 1 ? one : many}`;

/** Applies round `round` now; returns the heading and a line describing the mix. */
async function changeSandbox(sandbox: Sandbox, round: number, setClock: (ms: number | undefined) => void): Promise<{ at: string; heading: string; detail: string }> {
  const script = roundScript(sandbox.data, round, SEED);
  const softBefore = softDeletedIds(sandbox);
  const at = Date.now();
  setClock(at);
  let summary: MutationSummary;
  try {
    summary = await sandbox.mutate({ round });
  } finally {
    setClock(undefined);
  }
  const soft = [...softDeletedIds(sandbox)].filter((id) => !softBefore.has(id)).length;
  const updates = total(summary.updated) - soft;
  const deletes = soft + total(summary.deleted);
  const created = total(summary.created, ['auditLogs']);
  const hard = script.filter((m) => m.kind === 'hardDelete').map((m) => ('collection' in m ? plural(m.count, m.collection.replace(/s$/, ''), m.collection) : ''));
  const bulk = script.find((m) => m.kind === 'bulkUpdate');
  const settings = script.find((m) => m.kind === 'settings');
  const detail = [
    `updates across customers, conversations, messages, notes, companies and kobjects`,
    `${plural(soft, 'soft delete')}`,
    `hard deletes of ${hard.join(', ')} (cascading to what they own)`,
    `a removed email, a sent draft`,
    bulk ? `${fmt(bulk.count)} customers bulk-updated to one timestamp` : '',
    settings ? `${fmt(settings.count)} settings changes` : '',
    `${plural(total(summary.created, []) - created, 'audit-log entry', 'audit-log entries')}`,
  ].filter(Boolean);
  return {
    at: new Date(at).toISOString(),
    heading: `Changing data in the sandbox (round ${round}): ${plural(updates, 'update')}, ${plural(deletes, 'delete')}, ${plural(created, 'new record')}`,
    detail: detail.join('; '),
  };
}

// ---------------------------------------------------------------------------------------------------------------

interface Options {
  dir: string;
  reset: boolean;
}

function parseArgs(argv: string[]): Options | number {
  const program = new Command('demo')
    .description('tap-kustomer end to end against the local sandbox: sandbox → tap → DuckDB (full sync, then incremental)')
    .option('--dir <path>', 'where the demo keeps its files', '.demo')
    .option('--reset', 'start over: delete the demo files in --dir first', false)
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(`demo: ${s.replace(/^error: /, '').trim()}\n`) })
    .allowExcessArguments(false);
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const o = program.opts<{ dir: string; reset: boolean }>();
  return { dir: o.dir, reset: o.reset };
}

async function demo(opts: Options): Promise<void> {
  const started = Date.now();
  const f = demoFiles(resolve(opts.dir));
  if (opts.reset) removeDemoFiles(f);
  mkdirSync(f.dir, { recursive: true });

  let org = readSandboxFile(f.sandbox);
  const firstRun = org === undefined || !existsSync(f.state);
  if (firstRun) {
    // Nothing to continue from: start a new org and an empty warehouse.
    removeDemoFiles(f);
    org = { seed: SEED, scale: SCALE, anchor: new Date(Date.now() - 60_000).toISOString(), rounds: [] };
    writeJsonFile(f.sandbox, org);
  } else if (!existsSync(f.db)) {
    throw new DemoError(`${show(f.state)} exists but ${show(f.db)} does not; run \`npm run demo -- --reset\` to start over`);
  }
  const o = org as SandboxFile;
  const round = o.rounds.length + 1;

  out(firstRun ? 'tap-kustomer demo: a local Kustomer sandbox → tap-kustomer → DuckDB' : `tap-kustomer demo, round ${round}: continuing from ${show(f.state)}`);

  // 1. The sandbox, with every earlier round replayed at the instant it was first applied.
  let pinned: number | undefined;
  const setClock = (ms: number | undefined): void => {
    pinned = ms;
  };
  const sandbox = await startSandbox({
    seed: o.seed,
    scale: o.scale,
    anchor: o.anchor,
    apiKey: API_KEY,
    rateLimitPerMinute: RATE_LIMIT,
    searchRateLimitPerMinute: SEARCH_RATE_LIMIT,
    clock: () => pinned ?? Date.now(),
  });
  try {
    for (const r of o.rounds) {
      setClock(Date.parse(r.at));
      try {
        await sandbox.mutate({ round: r.round });
      } finally {
        setClock(undefined);
      }
    }
    step('starting the sandbox', `Starting a local Kustomer sandbox at ${sandbox.url}`);
    const replayed = o.rounds.length === 0 ? '' : o.rounds.length === 1 ? ', as you left it (round 1 of changes applied)' : `, as you left it (rounds 1-${o.rounds.length} of changes applied)`;
    const live = (c: 'customers' | 'conversations' | 'messages'): number => sandbox.data[c].filter((r) => r.attributes.deleted !== true).length;
    out(`   seed ${o.seed}: ${fmt(live('customers'))} customers, ${fmt(live('conversations'))} conversations, ${fmt(live('messages'))} messages${replayed}`);
    writeJsonFile(f.config, {
      api_key: API_KEY,
      base_url: sandbox.url,
      start_date: '2000-01-01T00:00:00Z',
      rate_limit_per_minute: RATE_LIMIT,
      search_rate_limit_per_minute: SEARCH_RATE_LIMIT,
    });

    if (!existsSync(f.catalog)) {
      step('discovery', `Discovering streams: tap-kustomer --discover > ${show(f.catalog)}`);
      const t = Date.now();
      await discover(f);
      const streams = (JSON.parse(readFileSync(f.catalog, 'utf8')) as { streams: { metadata: { breadcrumb: string[]; metadata: Record<string, unknown> }[] }[] }).streams;
      const selected = streams.filter((s) => s.metadata.find((m) => m.breadcrumb.length === 0)?.metadata['selected-by-default'] === true).length;
      out(`   ${streams.length} streams, ${selected} selected by default (${secs(Date.now() - t)})`);
    }
    const order = (JSON.parse(readFileSync(f.catalog, 'utf8')) as { streams: { stream: string }[] }).streams.map((s) => s.stream);

    if (firstRun) {
      step('full sync', `Full sync: tap-kustomer | tap-kustomer-duckdb --database ${show(f.db)}`);
      const t = Date.now();
      const state = await pipeline(f, false);
      writeJsonFile(f.state, state);
      const snap = await snapshot(f.db);
      out(`   done in ${secs(Date.now() - t)}; state saved to ${show(f.state)}. Rows per table:`);
      printCounts(snap, order);
    }

    const before = await snapshot(f.db);
    const change = await changeSandbox(sandbox, round, setClock);
    o.rounds.push({ round, at: change.at });
    writeJsonFile(f.sandbox, o);
    step('changing data', change.heading);
    out(`   (${change.detail})`);

    step('incremental sync', `Incremental sync from ${show(f.state)}: tap-kustomer --state ${show(f.state)} | tap-kustomer-duckdb`);
    const t = Date.now();
    const state = await pipeline(f, true);
    writeJsonFile(f.state, state);
    const after = await snapshot(f.db);
    out(`   done in ${secs(Date.now() - t)}; state saved to ${show(f.state)}. What changed in the warehouse:`);
    printChanges(before, after, order);

    await reverseEtl(sandbox, f.db, join(f.dir, 'target-kustomer.json'), writeJsonFile, { step, out, apiKey: API_KEY });

    // Absolute paths (the database and the DuckDB package): the command works from any directory.
    const db = resolve(f.db);
    const duckdb = require.resolve('@duckdb/node-api');
    out();
    out(`Done in ${secs(Date.now() - started)}. Everything is in ${show(f.dir)}/:`);
    out(`   ${DB_FILE.padEnd(17)}the warehouse (schema "${DEFAULT_SCHEMA}", one table per stream)`);
    out(`   state.json       the tap's bookmarks: the next run continues from here`);
    out(`   catalog.json     the discovered catalog (set "selected" to choose streams)`);
    out(`   config.json      the tap's config for the sandbox (its URL changes every run)`);
    out(`   sandbox.json     the sandbox org: seed, anchor, rounds of changes applied`);
    out(`Query it (live customers, newest first):`);
    out(
      `   node -e "require('${duckdb}').DuckDBInstance.create('${db}',{access_mode:'READ_ONLY'}).then(i=>i.connect()).then(c=>c.runAndReadAll('SELECT name, updated_at FROM ${DEFAULT_SCHEMA}.customers WHERE _sdc_deleted_at IS NULL ORDER BY updated_at DESC LIMIT 5')).then(r=>console.table(r.getRowObjectsJS()))"`,
    );
    out(`Run \`npm run demo\` again for round ${round + 1} of changes, or \`npm run demo -- --reset\` to start over.`);
  } finally {
    await sandbox.close();
  }
}

if (require.main === module) {
  const opts = parseArgs(process.argv.slice(2));
  if (typeof opts === 'number') {
    process.exitCode = opts;
  } else {
    demo(opts).then(
      () => {
        process.exitCode = 0;
      },
      (err: unknown) => {
        const where = stepNo > 0 ? ` at step ${stepNo} (${stepTitle})` : '';
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`demo failed${where}: ${message.split('\n')[0]}\n`);
        process.exitCode = 1;
      },
    );
  }
}
