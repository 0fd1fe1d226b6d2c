#!/usr/bin/env node
import './lean-heap'; // first: sizes the heap before the rest of the tap loads
import { Command, CommanderError, Option } from 'commander';
import { loadConfig, readJsonObject, settingsJsonSchema } from './config';
import { discoverCatalog } from './discover';
import { ExitCode, InputError, TapError } from './errors';
import { Logger, parseLogLevel } from './log';
import { parseCatalog } from './singer/catalog';
import { parseState, type State } from './singer/state';
import { SingerWriter } from './singer/writer';
import { makeClient, runSync } from './sync/run';

const pkg = require('../package.json') as { name: string; version: string; description: string };

/** What `--about` declares; meltano.yml's `capabilities` must match (a test compares them). */
export const CAPABILITIES = ['about', 'catalog', 'discover', 'properties', 'state', 'activate-version'] as const;

export interface Io {
  stdout: NodeJS.WritableStream & import('node:stream').Writable;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Aborted by SIGTERM/SIGINT in the real process. */
  signal: AbortSignal;
}

export function aboutInfo(): Record<string, unknown> {
  return {
    name: pkg.name,
    description: pkg.description,
    version: pkg.version,
    capabilities: [...CAPABILITIES],
    settings: settingsJsonSchema(),
  };
}

function aboutMarkdown(): string {
  const settings = settingsJsonSchema() as { properties: Record<string, { description?: string; type?: string; default?: unknown }>; required?: string[] };
  const rows = Object.entries(settings.properties).map(
    ([name, s]) =>
      `| ${name} | ${settings.required?.includes(name) ? 'yes' : 'no'} | ${s.default === undefined ? '' : JSON.stringify(s.default)} | ${s.description ?? ''} |`,
  );
  return [
    `# ${pkg.name}`,
    '',
    pkg.description,
    '',
    `Version: ${pkg.version}`,
    '',
    '## Capabilities',
    '',
    ...CAPABILITIES.map((c) => `- ${c}`),
    '',
    '## Settings',
    '',
    '| Setting | Required | Default | Description |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** The whole command line. Returns the exit code; prints one line on any error, never a stack trace. */
export async function main(argv: string[], io: Io): Promise<number> {
  const program = new Command()
    .name('tap-kustomer')
    .description(pkg.description)
    .version(pkg.version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr(oneLine(s)) })
    .option('-c, --config <file...>', 'config file(s), merged in order (later wins); TAP_KUSTOMER_<SETTING> env vars fill the rest')
    .option('-d, --discover', 'print the catalog of available streams')
    .option('--catalog <file>', 'catalog selecting the streams and fields to sync')
    .option('-p, --properties <file>', 'legacy name of --catalog')
    .option('-s, --state <file>', 'state from a previous run (its last STATE message)')
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
      return ExitCode.badInput; // commander already printed its one-line message
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
    const configFiles = (opts.config as string[] | undefined) ?? [];
    if (configFiles.length === 0 && !Object.keys(io.env).some((k) => k.startsWith('TAP_KUSTOMER_'))) {
      throw new InputError('a config is required: --config config.json (or TAP_KUSTOMER_API_KEY in the environment)');
    }
    const config = loadConfig(configFiles, io.env);
    logger.addSecret(config.api_key);
    if (opts.catalog && opts.properties) throw new InputError('give --catalog or --properties, not both');
    const progressSeconds = Number(opts.progressSeconds);
    if (!Number.isFinite(progressSeconds) || progressSeconds < 0) throw new InputError('--progress-seconds must be a number ≥ 0');
    // Meltano passes --state with --discover; it is validated (a bad file is a bad input) but not needed.
    const state: State = opts.state ? parseState(readJsonObject(String(opts.state), 'state'), 'state') : { bookmarks: {} };

    if (opts.discover) {
      const client = makeClient(config, logger, pkg.version, io.signal);
      try {
        const catalog = await discoverCatalog(config, client, logger);
        io.stdout.write(JSON.stringify(catalog, null, 2) + '\n');
      } finally {
        await client.close();
      }
      return ExitCode.ok;
    }

    const catalogFile = (opts.catalog ?? opts.properties) as string | undefined;
    const catalog = catalogFile ? parseCatalog(readJsonObject(catalogFile, 'catalog'), 'catalog') : undefined;
    const writer = new SingerWriter(io.stdout);
    return await runSync({
      config,
      catalog,
      state,
      writer,
      logger,
      signal: io.signal,
      progressIntervalMs: progressSeconds * 1000,
      version: pkg.version,
      windowMs: windowOverride(io.env),
    });
  } catch (err) {
    if (err instanceof TapError) {
      logger.error(err.message);
      return err.exitCode;
    }
    if (io.signal.aborted) return ExitCode.terminated;
    logger.error(`internal error: ${(err as Error)?.message ?? String(err)} (please report it)`);
    if (process.env.TAP_KUSTOMER_DEBUG) logger.error(String((err as Error)?.stack));
    return ExitCode.internal;
  }
}

/** One message is one stderr line, whatever it holds (a JSON.parse excerpt of the file, commander's "Did you mean"). */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Test hook: the sandbox's time-scaled rate-limit window (never set against real Kustomer). */
function windowOverride(env: NodeJS.ProcessEnv): number | undefined {
  const ms = Number(env.TAP_KUSTOMER_RATE_WINDOW_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

if (require.main === module) {
  const controller = new AbortController();
  const onSignal = (name: string) => () => controller.abort(new Error(`received ${name}`));
  process.once('SIGTERM', onSignal('SIGTERM'));
  process.once('SIGINT', onSignal('SIGINT'));
  // A closed stdout (the target died) surfaces as EPIPE on write; the writer turns it into a clean stop.
  process.stdout.on('error', () => undefined);
  main(process.argv.slice(2), { stdout: process.stdout, stderr: (line) => process.stderr.write(line + '\n'), env: process.env, signal: controller.signal })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err) => {
      process.stderr.write(`ERROR internal error: ${(err as Error)?.message ?? String(err)}\n`);
      process.exitCode = ExitCode.internal;
    });
}
