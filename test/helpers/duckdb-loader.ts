/** Shared by the DuckDB loader's tests (test/duckdb-loader): scratch databases, Singer message builders, and runs of the
 * loader through `runTarget` and through its CLI's `main`, with stdout and stderr captured. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../packages/duckdb-loader/src/cli';
import { runTarget, type RunTargetOptions, TargetError, type TargetSummary } from '../../packages/duckdb-loader/src';

/**
 * A temporary directory for one test file's databases, made before its tests and removed after them. Every test takes
 * a database of its own (`freshDb()`), so tests never see each other's tables.
 */
export function useScratchDir(): { dir: () => string; freshDb: () => string } {
  let dir: string | undefined;
  let dbCounter = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tap-kustomer-duckdb-'));
  });
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  const scratch = (): string => {
    if (dir === undefined) throw new Error('useScratchDir: the directory exists only while the tests run');
    return dir;
  };
  return {
    dir: scratch,
    freshDb: () => {
      dbCounter++;
      return join(scratch(), `t${dbCounter}.duckdb`);
    },
  };
}

export type Msg = Record<string, unknown>;
export const schema = (stream: string, properties: Record<string, unknown>, key_properties: string[] = ['id']): Msg => ({
  type: 'SCHEMA',
  stream,
  schema: { type: 'object', properties },
  key_properties,
});
export const record = (stream: string, rec: Record<string, unknown>, extra: Msg = {}): Msg => ({
  type: 'RECORD',
  stream,
  record: rec,
  time_extracted: '2024-05-01T10:00:00Z',
  ...extra,
});
export const state = (value: unknown): Msg => ({ type: 'STATE', value });

export const USERS = {
  id: { type: 'string' },
  name: { type: ['null', 'string'] },
  age: { type: ['null', 'integer'] },
  updated_at: { type: ['null', 'string'], format: 'date-time' },
  _sdc_deleted_at: { type: ['null', 'string'], format: 'date-time' },
};

export interface RunResult {
  stdout: string[];
  stderr: string[];
  summary?: TargetSummary;
  error?: TargetError;
}

/** Feeds `messages` (objects, or raw lines) to `runTarget`; an input error is returned, anything else thrown. */
export async function run(database: string, messages: (Msg | string)[], opts: Partial<RunTargetOptions> = {}): Promise<RunResult> {
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

/** Runs the CLI's `main` in this process with `lines` on stdin: its exit code and everything it wrote. */
export async function runCli(argv: string[], lines: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdin = new PassThrough();
  stdin.end(lines.map((l) => l + '\n').join(''));
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdin, stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
