#!/usr/bin/env node
/**
 * `kustomer-sandbox`: runs the sandbox Kustomer API on loopback until SIGTERM/SIGINT.
 * stdout carries exactly one line, `{"url":"http://127.0.0.1:PORT"}`, for scripts; everything else goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { faultRulesSchema, type FaultRule } from './faults';
import type { SandboxData } from './model';
import { isLoopbackHost, startSandbox, type SandboxOptions } from './server';

const CONTROL_HELP = `
Control API (no auth, loopback callers only):
  POST /__sandbox/mutate         body: a Mutation ({"kind":"update","collection":"customers","count":10}) or {"round":N}
                                 -> the MutationSummary (ids updated/deleted/created per collection)
  GET  /__sandbox/stats          requests in total, by route, by status; 429s; searches
  POST /__sandbox/stats/reset    zero the stats
  POST /__sandbox/faults         body: FaultRule[] (replaces the rules), e.g.
                                 [{"route":"search","kind":"status","status":503,"after":2,"times":1}]
                                 kinds: status (429|500|502|503|504|401|403), reset, slow (ms), malformed,
                                 truncated, emptySelfNext; optional method, after, times, probability
  POST /__sandbox/options        body: partial options, e.g. {"rateLimitPerMinute":300,"latencyMs":50}
  GET  /__sandbox/data/<name>    a collection as a JSON array (e.g. customers, auditLogs, archived/customers)

The API key is sent as "Authorization: Bearer <key>" on every /v1 request.`;

function int(min: number) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return Number(value);
  };
}

function isoDate(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expected an ISO-8601 date');
  return value;
}

function loopback(value: string): string {
  if (!isLoopbackHost(value)) throw new InvalidArgumentError('the sandbox binds loopback only (127.0.0.1, ::1, localhost)');
  return value;
}

function faultsFile(path: string): FaultRule[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InvalidArgumentError(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = faultRulesSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidArgumentError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The tap's start_date that covers every generated record. */
function startDate(data: SandboxData): string {
  let min = Infinity;
  for (const r of [...data.customers, ...data.archived.customers]) {
    const t = Date.parse(String(r.attributes.createdAt));
    if (t < min) min = t;
  }
  return new Date(Number.isFinite(min) ? min : Date.now()).toISOString();
}

function program(): Command {
  return new Command('kustomer-sandbox')
    .description('A faithful stand-in for the Kustomer REST API on loopback, with generated data.')
    .addOption(new Option('--host <host>', 'loopback address to bind').default('127.0.0.1').argParser(loopback))
    .addOption(new Option('--port <n>', 'port (0 = any free port)').default(8787).argParser(int(0)))
    .addOption(new Option('--seed <n>', 'data seed').default(1).argParser(int(0)))
    .addOption(new Option('--scale <n>', 'number of customers').default(200).argParser(int(1)))
    .addOption(new Option('--rounds <n>', 'mutation rounds applied at start').default(0).argParser(int(0)))
    .addOption(new Option('--archived <n>', 'customers/conversations older than the 2-year search window').default(0).argParser(int(0)))
    .addOption(new Option('--api-key <key>', 'the accepted API key').default('sandbox-key'))
    .addOption(new Option('--roles <list>', 'comma-separated roles of the key (default: all)'))
    .addOption(new Option('--rate-limit <n>', 'org-wide requests per window').default(1000).argParser(int(1)))
    .addOption(new Option('--search-rate-limit <n>', 'search requests per window').default(100).argParser(int(1)))
    .addOption(new Option('--window-ms <n>', 'rate-limit window length').default(60000).argParser(int(1)))
    .addOption(new Option('--latency-ms <n>', 'delay before each answer').default(0).argParser(int(0)))
    .addOption(new Option('--latency-jitter-ms <n>', 'random +/- added to the delay').default(0).argParser(int(0)))
    .addOption(new Option('--faults <file>', 'JSON file with FaultRule[]').argParser(faultsFile))
    .addOption(new Option('--anchor <iso>', "the generated org's now (default: one minute ago)").argParser(isoDate))
    .addOption(new Option('--reset-header <style>', 'x-ratelimit-reset as epoch seconds or seconds until reset').choices(['epoch', 'delta']).default('epoch'))
    .addOption(new Option('--retry-after', 'send Retry-After on 429').default(false))
    .addOption(new Option('--ignore-include-deleted', "search's includeDeleted returns no soft-deleted records").default(false))
    .addOption(new Option('--empty', 'start an empty org: generated settings and custom attribute definitions, no customers, companies or conversations').default(false))
    .addOption(new Option('--audit-cascade <which>', "deletes written to the audit log: all (cascaded messages/notes too) or root").choices(['all', 'root']).default('all'))
    .addHelpText('after', CONTROL_HELP)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`${str.replace(/\s*\n\s*/g, ' ').trim()}\n`) });
}

async function main(argv: string[]): Promise<void> {
  const cmd = program();
  try {
    cmd.parse(argv);
  } catch (err) {
    // Help and version exit 0; every usage error has already been printed on one line.
    process.exit(err instanceof CommanderError && err.exitCode === 0 ? 0 : 2);
  }
  const o = cmd.opts();
  const options: SandboxOptions = {
    host: o.host,
    port: o.port,
    seed: o.seed,
    scale: o.scale,
    rounds: o.rounds,
    archived: o.archived,
    apiKey: o.apiKey,
    rateLimitPerMinute: o.rateLimit,
    searchRateLimitPerMinute: o.searchRateLimit,
    windowMs: o.windowMs,
    latencyMs: o.latencyMs,
    latencyJitterMs: o.latencyJitterMs,
    resetHeader: o.resetHeader,
    retryAfter: o.retryAfter,
    includeDeletedHonoured: !o.ignoreIncludeDeleted,
    auditCascade: o.auditCascade,
    ...(o.roles ? { roles: String(o.roles).split(',').map((r) => r.trim()).filter(Boolean) } : {}),
    ...(o.faults ? { faults: o.faults } : {}),
    ...(o.empty ? { empty: true } : {}),
    ...(o.anchor ? { anchor: o.anchor } : {}),
  };

  let sandbox;
  try {
    sandbox = await startSandbox(options);
  } catch (err) {
    process.stderr.write(`kustomer-sandbox: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  // The key is the sandbox's own, chosen on the command line; the config is printed so the tap can use it as is.
  const config = { api_key: options.apiKey, base_url: sandbox.url, start_date: startDate(sandbox.data) };
  process.stderr.write(`kustomer-sandbox listening on ${sandbox.url} — tap config: ${JSON.stringify(config)}\n`);
  process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);

  const stop = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main(process.argv);
