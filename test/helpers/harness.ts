import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';

export const API_KEY = 'sandbox-key-0123456789abcdef';
export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export type Message = Record<string, any>;

export interface TapRun {
  messages: Message[];
  stdout: string;
  stderr: string[];
  code: number;
}

/** Every string printed by any tap run of this test file (jest gives each file its own copy of this module). */
export const allOutput: string[] = [];

/**
 * Across the whole jest run, every tap run's output is also appended to one file (jest's module isolation gives each
 * test file its own `allOutput`); test/global-teardown.ts fails the run if an API key appears in it. The file's
 * path comes from test/global-setup.ts; when jest runs without it, nothing is written.
 */
export const OUTPUT_LOG_ENV = 'TAP_KUSTOMER_TEST_OUTPUT_LOG';
/** Keys the teardown looks for besides API_KEY, one per line (tests that use another key register it). */
export const SECRETS_LOG_ENV = 'TAP_KUSTOMER_TEST_SECRETS_LOG';

export function recordOutput(...texts: string[]): void {
  allOutput.push(...texts);
  const file = process.env[OUTPUT_LOG_ENV];
  if (file) appendFileSync(file, texts.join('\n') + '\n');
}

/** Declares a key a test hands the tap: the global teardown also fails the run if it ever appears in any output. */
export function registerSecret(key: string): void {
  const file = process.env[SECRETS_LOG_ENV];
  if (file) appendFileSync(file, key + '\n');
}

/** A sandbox fast enough for tests: rate limits far above what a small org needs, unless a test sets them. */
export function testSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ seed: 7, scale: 40, apiKey: API_KEY, rateLimitPerMinute: 100_000, searchRateLimitPerMinute: 100_000, ...opts });
}

export function tmp(prefix = 'tap-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

export function baseConfig(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    api_key: API_KEY,
    base_url: sb.url,
    start_date: '2000-01-01T00:00:00Z',
    search_rate_limit_per_minute: 100_000,
    rate_limit_per_minute: 100_000,
    ...extra,
  };
}

/** Runs the tap in this process (fast); stdout is parsed as Singer messages. */
export async function runTap(args: string[], opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<TapRun> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const stderr: string[] = [];
  const code = await main(args, {
    stdout,
    stderr: (line) => stderr.push(line),
    env: { ...opts.env },
    signal: opts.signal ?? new AbortController().signal,
  });
  stdout.end();
  const text = Buffer.concat(chunks).toString('utf8');
  recordOutput(text, ...stderr);
  const isNdjson = !text.startsWith('{\n') && !text.startsWith('#');
  return { messages: isNdjson ? parseMessages(text) : [], stdout: text, stderr, code };
}

export function parseMessages(text: string): Message[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Message);
}

/** Convenience: write config (+catalog/state) files and run a sync in-process. */
export async function sync(sb: Sandbox, o: { config?: Record<string, unknown>; catalog?: unknown; state?: unknown; env?: NodeJS.ProcessEnv } = {}): Promise<TapRun> {
  const dir = tmp();
  const args = ['--config', writeJson(dir, 'config.json', baseConfig(sb, o.config)), '--progress-seconds', '0', '--log-level', 'warn'];
  if (o.catalog) args.push('--catalog', writeJson(dir, 'catalog.json', o.catalog));
  if (o.state) args.push('--state', writeJson(dir, 'state.json', o.state));
  return runTap(args, { env: o.env });
}

export async function discover(sb: Sandbox, config: Record<string, unknown> = {}): Promise<{ streams: Message[] }> {
  const dir = tmp();
  const run = await runTap(['--config', writeJson(dir, 'config.json', baseConfig(sb, config)), '--discover', '--log-level', 'warn']);
  if (run.code !== 0) throw new Error(`discover failed: ${run.stderr.join('\n')}`);
  return JSON.parse(run.stdout) as { streams: Message[] };
}

/** A catalog with every stream selected (children included), or only the named ones. */
export function selectAll(catalog: { streams: Message[] }, only?: string[]): { streams: Message[] } {
  const out = structuredClone(catalog);
  for (const entry of out.streams) {
    const root = entry.metadata.find((m: Message) => m.breadcrumb.length === 0);
    root.metadata.selected = only ? only.includes(entry.stream) : true;
  }
  return out;
}

export function lastState(messages: Message[]): unknown {
  const states = messages.filter((m) => m.type === 'STATE');
  return states[states.length - 1]?.value;
}

/**
 * Spawns the built CLI (for signals, pipes and real-process behaviour). `nodeArgs` go to node itself, before the
 * script (V8 flags, which NODE_OPTIONS mostly refuses).
 */
export function spawnTap(args: string[], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, CLI, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Spawns the built CLI and collects its output. Another engineer's `npm run build` (rm -rf dist, then tsc) can
 * remove dist/ under a running test: a run that died on a missing module waits for the build to finish and runs again.
 */
export async function runBuilt(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  nodeArgs: string[] = [],
): Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  for (let attempt = 0; ; attempt++) {
    await waitForBuild();
    const run = await collect(spawnTap(args, env, nodeArgs));
    if (attempt >= 3 || run.code !== 1 || !/Cannot find module|ERR_MODULE_NOT_FOUND|ENOENT.*dist/.test(run.stderr)) return run;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function waitForBuild(timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // copy-assets runs last: the schemas being there means the build is complete.
  while (!(existsSync(CLI) && existsSync(join(ROOT, 'dist', 'schemas', 'tags.json')))) {
    if (Date.now() > deadline) throw new Error(`${CLI} did not appear: run npm run build`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function collect(child: ChildProcess): Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    // Decode as a stream: a multi-byte character can be split across two chunks.
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (c: string) => (stdout += c));
    child.stderr?.on('data', (c: string) => (stderr += c));
    child.on('close', (code, signal) => {
      recordOutput(stdout, stderr);
      resolve({ stdout, stderr, code, signal });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The warehouse fold: what a target that upserts by key, deletes on `_sdc_deleted_at` and honours
// ACTIVATE_VERSION would hold after reading these messages.

export type Warehouse = Map<string, Map<string, Message>>;

export function fold(runs: Message[][], into: Warehouse = new Map()): Warehouse {
  const keys = new Map<string, string[]>();
  const versions = new Map<string, Map<string, number | undefined>>();
  for (const messages of runs) {
    for (const m of messages) {
      if (m.type === 'SCHEMA') {
        keys.set(m.stream, m.key_properties);
        if (!into.has(m.stream)) into.set(m.stream, new Map());
      } else if (m.type === 'RECORD') {
        const table = into.get(m.stream)!;
        const k = JSON.stringify(keys.get(m.stream)!.map((p) => m.record[p]));
        if (!versions.has(m.stream)) versions.set(m.stream, new Map());
        if (m.record._sdc_deleted_at) {
          table.delete(k);
          versions.get(m.stream)!.delete(k);
        } else {
          table.set(k, m.record);
          versions.get(m.stream)!.set(k, m.version);
        }
      } else if (m.type === 'ACTIVATE_VERSION') {
        const table = into.get(m.stream)!;
        const v = versions.get(m.stream) ?? new Map();
        for (const [k, ver] of [...v]) {
          if (ver === undefined || ver < m.version) {
            table.delete(k);
            v.delete(k);
          }
        }
      }
    }
  }
  return into;
}

/** Stream → sorted keys, for readable failure diffs. */
export function keysOf(w: Warehouse): Record<string, string[]> {
  return Object.fromEntries([...w].map(([s, t]) => [s, [...t.keys()].sort()]));
}

/** Per stream: keys only in `actual` (extra), only in `expected` (missing), and keys whose rows differ. */
export function diffWarehouses(actual: Warehouse, expected: Warehouse): Record<string, { extra: string[]; missing: string[]; changed: string[] }> {
  const out: Record<string, { extra: string[]; missing: string[]; changed: string[] }> = {};
  for (const stream of new Set([...actual.keys(), ...expected.keys()])) {
    const a = actual.get(stream) ?? new Map();
    const e = expected.get(stream) ?? new Map();
    const extra = [...a.keys()].filter((k) => !e.has(k));
    const missing = [...e.keys()].filter((k) => !a.has(k));
    const changed = [...e.keys()].filter((k) => a.has(k) && JSON.stringify(a.get(k)) !== JSON.stringify(e.get(k)));
    if (extra.length || missing.length || changed.length) out[stream] = { extra: extra.slice(0, 5), missing: missing.slice(0, 5), changed: changed.slice(0, 5) };
  }
  return out;
}
