import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { Config } from '../config';
import { ExitCode, InputError, TapError } from '../errors';
import { KustomerClient } from '../http/client';
import { AuthError, ForbiddenError, UnreachableError } from '../http/errors';
import { RateBudget } from '../http/rate-budget';
import type { Logger } from '../log';
import { availableStreams, catalogEntries, OrgFacts, replicationOf, rootOf, type Klass } from '../discover';
import { isStreamSelected, selectedSchema, type Catalog, type CatalogEntry } from '../singer/catalog';
import { resumeOrder, type State } from '../singer/state';
import { BrokenPipeError, type SingerWriter } from '../singer/writer';
import type { AuditStream, RootDef, StreamDef } from '../streams/kinds';
import { parseInstant } from '../util/time';
import { syncAuditAndDeletes } from './deletes';
import type { Family, SyncContext } from './family';
import { syncFullTable } from './full-table';
import { syncIncremental } from './incremental';
import { StreamOutput } from './output';
import { Progress } from './progress';
import { StateStore } from './state-store';
import { selectionReport } from './selection-report';
import { stateWarnings } from './state-warnings';

export interface SyncOptions {
  config: Config;
  catalog?: Catalog;
  state: State;
  writer: SingerWriter;
  logger: Logger;
  signal: AbortSignal;
  progressIntervalMs: number;
  version: string;
  /** Rate-limit window length (Kustomer: 60 s); the sandbox's time-scaled windows set it shorter in tests. */
  windowMs?: number;
}

export function makeClient(config: Config, logger: Logger, version: string, signal?: AbortSignal, windowMs = 60_000): KustomerClient {
  const utilization = config.api_utilization_percent / 100;
  return new KustomerClient({
    baseUrl: config.baseUrl,
    apiKey: config.api_key,
    userAgent: config.user_agent ?? `tap-kustomer/${version}`,
    timeoutMs: config.request_timeout_seconds * 1000,
    maxRetries: config.max_retries,
    maxConcurrency: config.max_concurrency,
    connectRetryMs: config.connect_retry_seconds * 1000,
    org: new RateBudget({ name: 'org', limit: config.rate_limit_per_minute, windowMs, utilization, learnLimit: 'always' }),
    search: new RateBudget({ name: 'search', limit: config.search_rate_limit_per_minute, windowMs, utilization, learnLimit: 'when-lower' }),
    logger,
    signal,
  });
}

/**
 * One sync: resolve the selected streams, group them into families (a root and the streams riding on its pass),
 * run the families in table order (resuming with the one an interrupted run was in), then the audit log and
 * delete detection. Returns the exit code; every failure is reported as one line.
 */
/** How many families sync at once (see runSync). */
const FAMILY_CONCURRENCY = 2;

export async function runSync(opts: SyncOptions): Promise<ExitCode> {
  const { config, logger, writer, signal } = opts;
  // The run's own abort: a signal from outside, or a fatal error in one family that must stop the others.
  const run = new AbortController();
  setMaxListeners(0, run.signal);
  const forward = () => run.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  const client = makeClient(config, logger, opts.version, run.signal, opts.windowMs);
  const facts = new OrgFacts(client, logger);
  const store = new StateStore(opts.state, writer);
  const progress = new Progress(logger, client, client.orgBudget, opts.progressIntervalMs);
  const failed = new Map<string, string>();
  try {
    const defs = await availableStreams(config, facts);
    const entries = opts.catalog ? opts.catalog.streams : await catalogEntries(defs, facts);
    const families = buildFamilies(defs, entries, writer); // a bad catalog stops here, before anything is on stdout
    const selected = new Set(families.flatMap((f) => [...f.outputs.keys()]));
    for (const warning of stateWarnings(opts.state, defs, selected)) logger.warn(warning);
    logger.info(selectionReport(entries, opts.catalog !== undefined));
    store.emit(true); // Singer convention: re-emit the incoming state first.
    if (families.length === 0) {
      logger.warn('no stream is selected: nothing to sync');
      return ExitCode.ok;
    }
    progress.track(families.flatMap((f) => [...f.outputs.values()]));
    progress.start();

    let klasses: Map<string, string> | undefined;
    if (families.some((f) => f.root.name.startsWith('kobjects'))) klasses = new Map((await facts.klasses()).map((k: Klass) => [k.id, k.name]));
    const end = config.end_date ? parseInstant(config.end_date)!.getTime() : Infinity;
    const ctx: SyncContext = {
      config,
      client,
      logger,
      state: store,
      progress,
      transform: { klassName: (id) => (id ? (klasses?.get(id) ?? null) : null) },
      discovery: { klassNames: async () => (await facts.klasses()).map((k) => k.name) },
      upper: new Date(Math.min(Date.now(), end)).toISOString(),
      signal: run.signal,
      drain: () => writer.drained(),
      failStream: (family, stream, err) => {
        if (!(err instanceof ForbiddenError)) throw err;
        family.outputs.delete(stream);
        failed.set(stream, err.message);
        logger.error(err.message);
        return undefined;
      },
    };

    const auditDef = defs.find((d): d is AuditStream => d.kind === 'audit')!;
    const runnable = resumeOrder(
      families.filter((f) => f.root.kind !== 'audit'),
      rootName(store.current.currently_syncing, defs),
      (f) => f.root.name,
    );
    const healthyUpdates: Family[] = [];
    // Families run FAMILY_CONCURRENCY at a time, so the rate budget keeps working while one finishes its last page
    // and the next starts its first. Each writes only its own streams' bookmarks: every STATE is a safe resume point.
    // `currently_syncing` names the earliest family still running.
    const running = new Set<string>();
    const markSyncing = () => store.syncing(runnable.find((f) => running.has(f.root.name))?.root.name ?? null);
    let fatal: unknown;
    const limitFamilies = pLimit(FAMILY_CONCURRENCY);
    await Promise.all(
      runnable.map((family) =>
        limitFamilies(async () => {
          if (fatal !== undefined || run.signal.aborted) return;
          running.add(family.root.name);
          markSyncing();
          store.emit();
          logger.info(`syncing ${family.root.name}${family.outputs.size ? ` → ${[...family.outputs.keys()].join(', ')}` : ''}`);
          progress.begin(family.outputs.keys());
          try {
            if (family.root.kind === 'list') await syncFullTable(family, ctx);
            else {
              await syncIncremental(family, ctx);
              healthyUpdates.push(family);
            }
          } catch (err) {
            if (isStreamFailure(err)) {
              for (const name of family.outputs.keys()) failed.set(name, (err as Error).message);
              logger.error((err as Error).message);
            } else if (fatal === undefined) {
              // 401, a closed pipe, a signal: stop every family, then report this one cause.
              fatal = err;
              run.abort(err);
            }
          } finally {
            progress.end(family.outputs.keys());
            running.delete(family.root.name);
            markSyncing();
          }
        }),
      ),
    );
    if (fatal !== undefined) throw fatal;

    // Hard deletes arrive through the audit log: read it whenever an Update stream or audit_logs is selected.
    const auditFamily = families.find((f) => f.root.kind === 'audit');
    const deleteTargets = healthyUpdates.filter((f) => f.root.kind === 'search');
    if (auditFamily || deleteTargets.length) {
      store.syncing(auditDef.name);
      store.emit();
      const pass = [...(auditFamily?.outputs.keys() ?? [])];
      progress.begin(pass);
      try {
        await syncAuditAndDeletes(auditFamily, deleteTargets, auditDef, ctx);
      } catch (err) {
        if (!isStreamFailure(err)) throw err;
        if (auditFamily) failed.set(auditDef.name, (err as Error).message);
        logger.error(
          auditFamily
            ? (err as Error).message
            : `DELETES NOT DETECTED: cannot read the audit log (${(err as Error).message}). Records deleted permanently in Kustomer ` +
                `(customers, conversations, KObjects) stay in the warehouse until a full refresh. Grant the API key org.permission.audit_logs.read.`,
        );
      } finally {
        progress.end(pass);
      }
    }
    store.syncing(null);
    store.emit();
    await writer.end();
    progress.summary(failed);
    return failed.size ? ExitCode.partial : ExitCode.ok;
  } catch (err) {
    progress.stop();
    if (err instanceof BrokenPipeError || writer.isBroken) {
      logger.error('the target stopped reading (broken pipe); stopping. Resume from the last STATE the target saved.');
      return ExitCode.brokenPipe;
    }
    if (signal.aborted) {
      // Everything before the last STATE is safe; say where to resume (the state is already on stdout).
      try {
        if (writer.lastState !== undefined) writer.state(writer.lastState);
        await writer.end();
      } catch {
        /* the pipe closed too: nothing more to say on it */
      }
      const reason = String((signal.reason as Error | undefined)?.message ?? signal.reason ?? 'interrupted');
      logger.warn(`stopped: ${reason}; the last STATE emitted is the resume point`);
      return reason.includes('SIGINT') ? ExitCode.interrupted : ExitCode.terminated;
    }
    if (err instanceof TapError) {
      await writer.end().catch(() => undefined);
      logger.error(err.message);
      return err.exitCode;
    }
    throw err;
  } finally {
    signal.removeEventListener('abort', forward);
    await client.close();
  }
}

function isStreamFailure(err: unknown): boolean {
  return err instanceof TapError && !(err instanceof AuthError) && !(err instanceof InputError) && !(err instanceof UnreachableError);
}

/** `currently_syncing` may name a child stream (older state): resume with its root. */
function rootName(name: string | null | undefined, defs: readonly StreamDef[]): string | null {
  const def = name ? defs.find((d) => d.name === name) : undefined;
  return def ? rootOf(def, defs).name : null;
}

/** Groups the selected catalog entries into families; unknown streams are a bad catalog. */
export function buildFamilies(defs: readonly StreamDef[], entries: readonly CatalogEntry[], writer: SingerWriter): Family[] {
  const byName = new Map(defs.map((d) => [d.name, d] as const));
  const outputs = new Map<string, StreamOutput>();
  for (const entry of entries) {
    const name = entry.tap_stream_id ?? entry.stream;
    const def = byName.get(name);
    if (!def) {
      if (name.startsWith('kobjects_')) throw new InputError(`catalog error: stream ${name}: no such KObject klass in this org (or kobject_streams_per_klass is off)`);
      throw new InputError(`catalog error: unknown stream ${JSON.stringify(name)} (run --discover for the list)`);
    }
    if (!isStreamSelected(entry)) continue;
    const { key } = replicationOf(def, defs);
    const schema = selectedSchema(entry, [...def.keys, ...(key ? [key] : []), '_sdc_deleted_at']);
    outputs.set(name, new StreamOutput(def, schema, writer, key));
  }
  const families: Family[] = [];
  for (const root of defs.filter((d): d is RootDef => d.kind === 'list' || d.kind === 'search' || d.kind === 'audit')) {
    const members = defs.filter((d) => rootOf(d, defs) === root);
    const selected = new Map(members.filter((m) => outputs.has(m.name)).map((m) => [m.name, outputs.get(m.name)!] as const));
    if (selected.size) families.push({ root, members, outputs: selected });
  }
  return families;
}
