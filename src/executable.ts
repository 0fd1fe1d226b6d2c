import { Command, CommanderError, Option } from 'commander';
import { ExitCode, InputError, TapError } from './errors';
import { Logger, parseLogLevel } from './log';

/**
 * What tap-kustomer and target-kustomer share as executables: the Singer command-line shell (config files and env
 * settings, `--about`, logging flags), one-line errors with the documented exit codes, and signal handling. Each
 * executable adds only its own options and its run.
 */

/** What an executable says about itself in `--about`. */
export interface AboutFacts {
  name: string;
  description: string;
  version: string;
  capabilities: readonly string[];
  /** The settings' JSON Schema (derived from the zod schema that validates them). */
  settings: Record<string, unknown>;
  /** Prefix of the env variables that give settings, e.g. `TAP_KUSTOMER_`. */
  envPrefix: string;
}

export function aboutJson(facts: AboutFacts): Record<string, unknown> {
  const { name, description, version, capabilities, settings } = facts;
  return { name, description, version, capabilities: [...capabilities], settings };
}

export function aboutMarkdown(facts: AboutFacts): string {
  const settings = facts.settings as { properties: Record<string, { description?: string; default?: unknown }>; required?: string[] };
  const rows = Object.entries(settings.properties).map(
    ([name, s]) => `| ${name} | ${settings.required?.includes(name) ? 'yes' : 'no'} | ${s.default === undefined ? '' : JSON.stringify(s.default)} | ${s.description ?? ''} |`,
  );
  return [
    `# ${facts.name}`,
    '',
    facts.description,
    '',
    `Version: ${facts.version}`,
    '',
    '## Capabilities',
    '',
    ...facts.capabilities.map((c) => `- ${c}`),
    '',
    '## Settings',
    '',
    `Every setting can also be given as an environment variable ${facts.envPrefix}<SETTING>.`,
    '',
    '| Setting | Required | Default | Description |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export interface ShellIo {
  stdout: { write(chunk: string): unknown };
  stderr: (line: string) => void;
}

/** The options every executable has; the caller adds its own before parsing. */
export function singerProgram(facts: AboutFacts, io: ShellIo): Command {
  return new Command()
    .name(facts.name)
    .description(facts.description)
    .version(facts.version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr(oneLine(s)) })
    .option('-c, --config <file...>', `config file(s), merged in order (later wins); ${facts.envPrefix}<SETTING> env vars fill the rest`)
    .option('--about', 'print name, version, capabilities and settings')
    .addOption(new Option('--format <format>', 'format of --about').choices(['json', 'markdown']).default('markdown'))
    .addOption(new Option('--log-level <level>', 'stderr verbosity').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .addOption(new Option('--log-format <format>', 'stderr log format').choices(['text', 'json']).default('text'))
    .option('--progress-seconds <n>', 'seconds between progress lines (0: none)', '15');
}

/**
 * Parses the command line; answers `--about`, `--version` and `--help` itself. Returns the options to run with, or
 * the exit code when there is nothing more to do (commander has already printed its one-line message on an error).
 */
export function parseCommandLine(program: Command, argv: string[], facts: AboutFacts, io: ShellIo): Record<string, unknown> | number {
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
    io.stdout.write(opts.format === 'json' ? JSON.stringify(aboutJson(facts), null, 2) + '\n' : aboutMarkdown(facts));
    return ExitCode.ok;
  }
  return opts;
}

/** The stderr logger the flags ask for; every message one line. */
export function loggerFor(opts: Record<string, unknown>, io: ShellIo): Logger {
  return new Logger({
    level: parseLogLevel(String(opts.logLevel)),
    format: opts.logFormat === 'json' ? 'json' : 'text',
    secrets: [],
    write: (line) => io.stderr(oneLine(line)),
  });
}

/**
 * The `--config` files given, or an InputError when there are none and no `<envPrefix>` variable either: without
 * either, the executable has nothing to run on. `envHint` names the variables that would do.
 */
export function configFilesOrEnv(opts: Record<string, unknown>, env: NodeJS.ProcessEnv, envPrefix: string, envHint: string): string[] {
  const files = (opts.config as string[] | undefined) ?? [];
  if (files.length === 0 && !Object.keys(env).some((k) => k.startsWith(envPrefix))) {
    throw new InputError(`a config is required: --config config.json (or ${envHint} in the environment)`);
  }
  return files;
}

/** `--progress-seconds` in milliseconds. */
export function progressIntervalMs(opts: Record<string, unknown>): number {
  const seconds = Number(opts.progressSeconds);
  if (!Number.isFinite(seconds) || seconds < 0) throw new InputError('--progress-seconds must be a number ≥ 0');
  return seconds * 1000;
}

/** How a run that threw ends: a TapError's own line and code; anything else is an internal error, one line. */
export function exitCodeForError(err: unknown, logger: Logger, signal: AbortSignal, debug: boolean): number {
  if (err instanceof TapError) {
    logger.error(err.message);
    return err.exitCode;
  }
  if (signal.aborted) return ExitCode.terminated;
  logger.error(`internal error: ${(err as Error)?.message ?? String(err)} (please report it)`);
  if (debug) logger.error(String((err as Error)?.stack));
  return ExitCode.internal;
}

/** One message is one stderr line, whatever it holds (a JSON.parse excerpt of a file, commander's "Did you mean"). */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Test hook: the sandbox's time-scaled rate-limit window, `<PREFIX>RATE_WINDOW_MS` (never set against real Kustomer). */
export function windowOverride(env: NodeJS.ProcessEnv, envPrefix: string): number | undefined {
  const ms = Number(env[`${envPrefix}RATE_WINDOW_MS`]);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * Runs `main` as this process: SIGTERM/SIGINT abort the run (it stops cleanly and exits 143), a closed stdout is left
 * to the writer (EPIPE becomes a clean stop), and the exit code is set without cutting stdout short.
 */
export function runAsProcess(main: (signal: AbortSignal) => Promise<number>): void {
  const controller = new AbortController();
  const onSignal = (name: string) => () => controller.abort(new Error(`received ${name}`));
  process.once('SIGTERM', onSignal('SIGTERM'));
  process.once('SIGINT', onSignal('SIGINT'));
  process.stdout.on('error', () => undefined);
  main(controller.signal)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err) => {
      process.stderr.write(`ERROR internal error: ${(err as Error)?.message ?? String(err)}\n`);
      process.exitCode = ExitCode.internal;
    });
}
