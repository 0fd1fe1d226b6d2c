import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../src/sandbox/server';
import { API_KEY, collect, ROOT, tmp, writeJson, type Message } from './harness';

export const TARGET_CLI = join(ROOT, 'dist', 'target-kustomer', 'cli.js');

export interface TargetRun {
  stdout: string;
  stderr: string;
  code: number | null;
  /** The STATE values printed on stdout, in order. */
  states: unknown[];
}

/** Settings a test target uses against the sandbox: polls without waiting, no pacing below the sandbox's limits. */
export function targetConfig(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { api_key: API_KEY, base_url: sb.url, rate_limit_per_minute: 100_000, bulk_poll_seconds: 0.01, ...extra };
}

export function ndjson(messages: Message[]): string {
  return messages.map((m) => JSON.stringify(m)).join('\n') + '\n';
}

export function spawnTarget(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  if (!existsSync(TARGET_CLI)) throw new Error(`${TARGET_CLI} is missing: run npm run build`);
  return spawn(process.execPath, [TARGET_CLI, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs the built target with `input` on stdin (a config object is written to a file and passed with --config). */
export async function runTarget(config: Record<string, unknown> | null, input: string | Message[], opts: { env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<TargetRun> {
  const args = [...(opts.args ?? ['--progress-seconds', '0'])];
  if (config) args.push('--config', writeJson(tmp('target-'), 'config.json', config));
  const child = spawnTarget(args, opts.env);
  const done = collect(child);
  child.stdin!.on('error', () => undefined); // the target may exit before reading everything (bad input)
  child.stdin!.end(typeof input === 'string' ? input : ndjson(input));
  const run = await done;
  const informational = args.some((a) => ['--about', '--version', '--help'].includes(a));
  return { ...run, states: informational ? [] : parseStates(run.stdout) };
}

export function parseStates(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

export const schema = (stream: string, properties: string[], key: string[] = []): Message => ({
  type: 'SCHEMA',
  stream,
  schema: { type: 'object', properties: Object.fromEntries(properties.map((p) => [p, {}])) },
  key_properties: key,
});
export const record = (stream: string, rec: Record<string, unknown>, version?: number): Message => ({ type: 'RECORD', stream, record: rec, ...(version !== undefined ? { version } : {}) });
export const state = (value: unknown): Message => ({ type: 'STATE', value });

/** Live customers of the sandbox holding `externalId` (a duplicate shows up as two). */
export function customersWithExternalId(sb: Sandbox, externalId: string) {
  return sb.data.customers.filter((c) => c.attributes.externalId === externalId && c.attributes.deleted !== true);
}

/** Requests the sandbox served per route key (e.g. `POST /v1/customers/bulk` is counted under `unknown`). */
export function requestsTo(sb: Sandbox): number {
  return sb.stats().total;
}
