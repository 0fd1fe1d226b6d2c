#!/usr/bin/env node
/**
 * `target-kustomer`: Singer messages on stdin → Kustomer customers, companies and KObjects (and audiences by tag).
 *
 *   tap-x | target-kustomer --config config.json >> state.json
 *
 * stdout carries only the STATE values made durable, one JSON line each; logs, progress and the end table go to
 * stderr. Exit codes are the tap's (src/errors.ts).
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, InputError, TapError } from '../errors';
import { Logger, parseLogLevel } from '../log';
import { runTarget } from './run';
import { ENV_PREFIX, loadSettings, settingsJsonSchema } from './settings';

const pkg = require('../../package.json') as { version: string };

export const NAME = 'target-kustomer';
const DESCRIPTION = 'Singer target for Kustomer: customers, companies and KObjects by upsert, insert or update, and audiences by tag; never a duplicate.';
/** What `--about` declares (meltano.yml's loader block lists the same). */
export const CAPABILITIES = ['about', 'activate-version'] as const;

export interface TargetIo {
  stdin: Readable;
  stdout: Writable;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export function aboutInfo(): Record<string, unknown> {
  return { name: NAME, description: DESCRIPTION, version: pkg.version, capabilities: [...CAPABILITIES], settings: settingsJsonSchema() };
}

function aboutMarkdown(): string {
  const settings = settingsJsonSchema() as { properties: Record<string, { description?: string; default?: unknown }>; required?: string[] };
  const rows = Object.entries(settings.properties).map(
    ([name, s]) => `| ${name} | ${settings.required?.includes(name) ? 'yes' : 'no'} | ${s.default === undefined ? '' : JSON.stringify(s.default)} | ${s.description ?? ''} |`,
  );
  return [
    `# ${NAME}`,
    '',
    DESCRIPTION,
    '',
    `Version: ${pkg.version}`,
    '',
    '## Capabilities',
    '',
    ...CAPABILITIES.map((c) => `- ${c}`),
    '',
    '## Settings',
    '',
    `Every setting can also be given as an environment variable ${ENV_PREFIX}<SETTING>.`,
    '',
    '| Setting | Required | Default | Description |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export async function main(argv: string[], io: TargetIo): Promise<number> {
  const program = new Command()
    .name(NAME)
    .description(DESCRIPTION)
    .version(pkg.version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr(oneLine(s)) })
    .option('-c, --config <file...>', `config file(s), merged in order (later wins); ${ENV_PREFIX}<SETTING> env vars fill the rest`)
    .option('--about', 'print name, version, capabilities and settings')
    .addOption(new Option('--format <format>', 'format of --about').choices(['json', 'markdown']).default('markdown'))
    .addOption(new Option('--log-level <level>', 'stderr verbosity').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .addOption(new Option('--log-format <format>', 'stderr log format').choices(['text', 'json']).default('text'))
    .option('--progress-seconds <n>', 'seconds between progress lines (0: none)', '15');

  let opts: Record<string, unknown>;
  try {
    program.parse(argv, { from: 'user' });
    opts = program.opts();
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.version' || err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return ExitCode.ok;
      return ExitCode.badInput;
    }
    throw err;
  }
  if (opts.about) {
    io.stdout.write(opts.format === 'json' ? JSON.stringify(aboutInfo(), null, 2) + '\n' : aboutMarkdown());
    return ExitCode.ok;
  }

  const logger = new Logger({
    level: parseLogLevel(String(opts.logLevel)),
    format: opts.logFormat === 'json' ? 'json' : 'text',
    secrets: [],
    write: (line) => io.stderr(oneLine(line)),
  });
  try {
    const files = (opts.config as string[] | undefined) ?? [];
    if (files.length === 0 && !Object.keys(io.env).some((k) => k.startsWith(ENV_PREFIX))) {
      throw new InputError(`a config is required: --config config.json (or ${ENV_PREFIX}API_KEY and ${ENV_PREFIX}STREAMS in the environment)`);
    }
    const settings = loadSettings(files, io.env);
    logger.addSecret(settings.api_key);
    const progressSeconds = Number(opts.progressSeconds);
    if (!Number.isFinite(progressSeconds) || progressSeconds < 0) throw new InputError('--progress-seconds must be a number ≥ 0');
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    return await runTarget({
      settings,
      lines,
      stdout: io.stdout,
      logger,
      signal: io.signal,
      version: pkg.version,
      progressIntervalMs: progressSeconds * 1000,
      windowMs: windowOverride(io.env),
    });
  } catch (err) {
    if (err instanceof TapError) {
      logger.error(err.message);
      return err.exitCode;
    }
    if (io.signal.aborted) return ExitCode.terminated;
    logger.error(`internal error: ${(err as Error)?.message ?? String(err)} (please report it)`);
    if (io.env.TARGET_KUSTOMER_DEBUG) logger.error(String((err as Error)?.stack));
    return ExitCode.internal;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Test hook: the sandbox's time-scaled rate-limit window (never set against real Kustomer). */
function windowOverride(env: NodeJS.ProcessEnv): number | undefined {
  const ms = Number(env.TARGET_KUSTOMER_RATE_WINDOW_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

if (require.main === module) {
  const controller = new AbortController();
  const onSignal = (name: string) => () => controller.abort(new Error(`received ${name}`));
  process.once('SIGTERM', onSignal('SIGTERM'));
  process.once('SIGINT', onSignal('SIGINT'));
  process.stdout.on('error', () => undefined);
  main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: (line) => process.stderr.write(line + '\n'),
    env: process.env,
    signal: controller.signal,
  })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err) => {
      process.stderr.write(`ERROR internal error: ${(err as Error)?.message ?? String(err)}\n`);
      process.exitCode = ExitCode.internal;
    });
}
