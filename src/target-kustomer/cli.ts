#!/usr/bin/env node
/**
 * `target-kustomer`: Singer messages on stdin → Kustomer customers, companies and KObjects (and audiences by tag).
 *
 *   tap-x | target-kustomer --config config.json >> state.json
 *
 * stdout carries only the STATE values made durable, one JSON line each; logs, progress and the end table go to
 * stderr. Exit codes are the tap's (packages/singer-io/src/errors.ts).
 */
import type { Readable, Writable } from 'node:stream';
import { readSingerMessages } from '@tap-kustomer/singer-io';
import { aboutJson, configFilesOrEnv, exitCodeForError, loggerFor, parseCommandLine, progressIntervalMs, runAsProcess, singerProgram, windowOverride, type AboutFacts } from '../executable';
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

const ABOUT: AboutFacts = {
  name: NAME,
  description: DESCRIPTION,
  version: pkg.version,
  capabilities: CAPABILITIES,
  get settings() {
    return settingsJsonSchema();
  },
  envPrefix: ENV_PREFIX,
};

export function aboutInfo(): Record<string, unknown> {
  return aboutJson(ABOUT);
}

export async function main(argv: string[], io: TargetIo): Promise<number> {
  const opts = parseCommandLine(singerProgram(ABOUT, io), argv, ABOUT, io);
  if (typeof opts === 'number') return opts;

  const logger = loggerFor(opts, io);
  try {
    const files = configFilesOrEnv(opts, io.env, ENV_PREFIX, `${ENV_PREFIX}API_KEY and ${ENV_PREFIX}STREAMS`);
    const settings = loadSettings(files, io.env);
    logger.addSecret(settings.api_key);
    const progressMs = progressIntervalMs(opts);
    return await runTarget({
      settings,
      messages: readSingerMessages(io.stdin),
      stdout: io.stdout,
      logger,
      signal: io.signal,
      version: pkg.version,
      progressIntervalMs: progressMs,
      windowMs: windowOverride(io.env, ENV_PREFIX),
    });
  } catch (err) {
    return exitCodeForError(err, logger, io.signal, Boolean(io.env.TARGET_KUSTOMER_DEBUG));
  }
}

if (require.main === module) {
  runAsProcess((signal) =>
    main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: (line) => process.stderr.write(line + '\n'), env: process.env, signal }),
  );
}
