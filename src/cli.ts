#!/usr/bin/env node
import './lean-heap'; // first: sizes the heap before the rest of the tap loads
import { aboutSettings } from './about-settings';
import { ExitCode, InputError } from './errors';
import { aboutJson, configFilesOrEnv, exitCodeForError, loggerFor, parseCommandLine, progressIntervalMs, runAsProcess, singerProgram, windowOverride, type AboutFacts } from './executable';
import type { State } from './singer/state';
// Each command loads only what it runs (start-up CPU is mostly module loading, issue 13): `--about` needs neither
// zod nor an HTTP client, `--discover` no sync engine, state or catalog parser. Those come in with `await import`.

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

const ABOUT: AboutFacts = {
  name: pkg.name,
  description: pkg.description,
  version: pkg.version,
  capabilities: CAPABILITIES,
  get settings() {
    return aboutSettings();
  },
  envPrefix: 'TAP_KUSTOMER_',
};

export function aboutInfo(): Record<string, unknown> {
  return aboutJson(ABOUT);
}

/** The whole command line. Returns the exit code; prints one line on any error, never a stack trace. */
export async function main(argv: string[], io: Io): Promise<number> {
  const program = singerProgram(ABOUT, io)
    .option('-d, --discover', 'print the catalog of available streams')
    .option('--catalog <file>', 'catalog selecting the streams and fields to sync')
    .option('-p, --properties <file>', 'legacy name of --catalog')
    .option('-s, --state <file>', 'state from a previous run (its last STATE message)');
  const opts = parseCommandLine(program, argv, ABOUT, io);
  if (typeof opts === 'number') return opts;

  const logger = loggerFor(opts, io);
  try {
    const { loadConfig, readJsonObject } = await import('./config');
    const configFiles = configFilesOrEnv(opts, io.env, ABOUT.envPrefix, `${ABOUT.envPrefix}API_KEY`);
    const config = loadConfig(configFiles, io.env, (message) => logger.warn(message));
    logger.addSecret(config.api_key);
    if (opts.catalog && opts.properties) throw new InputError('give --catalog or --properties, not both');
    const progressMs = progressIntervalMs(opts);
    // Meltano passes --state with --discover; it is validated (a bad file is a bad input) but not needed.
    const state: State = opts.state ? (await import('./singer/state')).parseState(readJsonObject(String(opts.state), 'state'), 'state') : { bookmarks: {} };

    if (opts.discover) {
      const [{ makeClient }, { discoverCatalog }] = await Promise.all([import('./tap-client'), import('./discover')]);
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
    const [{ parseCatalog }, { SingerWriter }, { runSync }] = await Promise.all([import('./singer/catalog'), import('./singer/writer'), import('./sync/run')]);
    const catalog = catalogFile ? parseCatalog(readJsonObject(catalogFile, 'catalog'), 'catalog') : undefined;
    const writer = new SingerWriter(io.stdout);
    return await runSync({
      config,
      catalog,
      state,
      writer,
      logger,
      signal: io.signal,
      progressIntervalMs: progressMs,
      version: pkg.version,
      windowMs: windowOverride(io.env, ABOUT.envPrefix),
    });
  } catch (err) {
    return exitCodeForError(err, logger, io.signal, Boolean(io.env.TAP_KUSTOMER_DEBUG));
  }
}

if (require.main === module) {
  runAsProcess((signal) => main(process.argv.slice(2), { stdout: process.stdout, stderr: (line) => process.stderr.write(line + '\n'), env: process.env, signal }));
}
