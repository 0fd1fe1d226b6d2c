#!/usr/bin/env node
/**
 * `tap-kustomer-duckdb`: a Singer target that loads into DuckDB (see loader.ts and run.ts). This file only parses the command
 * line and config and wires process streams and signals to `runTarget`; `main` is exported for tests.
 *
 *   tap-kustomer | tap-kustomer-duckdb --database warehouse.duckdb [--config FILE] [--hard-delete]
 *                                      [--batch-size N] [--schema NAME]
 *
 * stdout carries only state values (one JSON line each); everything else goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { DEFAULT_BATCH_SIZE, DEFAULT_SCHEMA } from './defaults';
import { runTarget } from './run';
import { type RunTargetOptions, TargetAbortedError, TargetError, TargetExitCode, TargetInputError } from './types';

export const TARGET_NAME = 'tap-kustomer-duckdb';

export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Aborting stops the run (the CLI aborts on SIGTERM/SIGINT with a TargetAbortedError as the reason). */
  signal?: AbortSignal;
}

/** Config file keys (Meltano writes the loader's settings under these names). Unknown keys are ignored. */
const ConfigFile = z.looseObject({
  database: z.string().min(1).optional(),
  hard_delete: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  batch_size: z
    .union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/).transform(Number)])
    .optional(),
  schema: z.string().min(1).optional(),
});

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function positiveInt(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
}

function readConfig(path: string): z.infer<typeof ConfigFile> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new TargetInputError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TargetInputError(`config file ${path} is not valid JSON`);
  }
  const parsed = ConfigFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    throw new TargetInputError(`config file ${path}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

interface Flags {
  database?: string;
  config?: string;
  hardDelete?: boolean;
  batchSize?: number;
  schema?: string;
}

/** Runs the target with `argv` (user arguments only, without `node` and the script). Resolves with the exit code;
 * never rejects. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const writeErr = (line: string): void => {
    io.stderr.write(line + '\n');
  };
  const program = new Command()
    .name(TARGET_NAME)
    .description('Singer target: loads Singer messages from stdin into DuckDB; prints committed state values to stdout.')
    .version(version(), '--version')
    .option('--database <file>', 'DuckDB database file (created when missing)')
    .option('-c, --config <file>', 'JSON config with keys database, hard_delete, batch_size, schema (flags win)')
    .option('--hard-delete', 'delete rows whose record has _sdc_deleted_at (default: keep them, soft-deleted)')
    .option('--no-hard-delete', 'keep tombstoned rows with _sdc_deleted_at set (overrides the config)')
    .option('--batch-size <n>', `records buffered before a flush (default ${DEFAULT_BATCH_SIZE})`, positiveInt)
    .option('--schema <name>', `DuckDB schema for the tables (default ${DEFAULT_SCHEMA})`)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .allowExcessArguments(false);

  let flags: Flags;
  try {
    program.parse(argv, { from: 'user' });
    flags = program.opts<Flags>();
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? TargetExitCode.ok : TargetExitCode.badInput;
    writeErr(`ERROR ${(e as Error).message}`);
    return TargetExitCode.badInput;
  }

  try {
    const config = flags.config ? readConfig(flags.config) : {};
    const database = flags.database ?? config.database;
    if (!database) throw new TargetInputError('no database given: pass --database FILE or set "database" in the config');
    const opts: RunTargetOptions = {
      database,
      schema: flags.schema ?? config.schema ?? DEFAULT_SCHEMA,
      hardDelete: flags.hardDelete ?? config.hard_delete ?? false,
      batchSize: flags.batchSize ?? config.batch_size ?? DEFAULT_BATCH_SIZE,
      log: writeErr,
    };
    if (io.signal) opts.signal = io.signal;
    await runTarget(io.stdin, io.stdout, opts);
    return TargetExitCode.ok;
  } catch (e) {
    if (e instanceof TargetError) {
      writeErr(`${e instanceof TargetAbortedError ? 'WARN' : 'ERROR'} ${e.message}`);
      return e.exitCode;
    }
    const message = e instanceof Error ? e.message : String(e);
    writeErr(`ERROR ${message.split('\n')[0] ?? message}`);
    return TargetExitCode.internal;
  }
}

/* istanbul ignore next -- process wiring, exercised by running the built binary */
if (require.main === module) {
  const controller = new AbortController();
  const onSignal = (name: string, code: TargetExitCode) => () =>
    controller.abort(new TargetAbortedError(`received ${name}; stopping (uncommitted records are not written)`, code));
  process.once('SIGTERM', onSignal('SIGTERM', TargetExitCode.terminated));
  process.once('SIGINT', onSignal('SIGINT', TargetExitCode.interrupted));
  // runTarget reports EPIPE on stdout itself while it runs; a late one (or one on stderr) must not crash the exit.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  void main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  }).then((code) => {
    process.exitCode = code;
    // Exit even if something (a half-read stdin) still holds the event loop.
    setTimeout(() => process.exit(code), 2000).unref();
  });
}
