import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { Config } from '../config';
import { ExitCode, InputError, TapError } from '../errors';
import { KustomerClient } from '../kustomer-client/client';
import { AuthError, ForbiddenError, UnreachableError } from '../kustomer-client/errors';
import type { Logger } from '../log';
import { OrgFacts } from '../org-facts';
import { makeClient } from '../tap-client';
import { klassNameLookup, readsKObjects } from '../streams/kobjects';
import type { Catalog } from '../singer/catalog';
import { resumeOrder, type State } from '../singer/state';
import { BrokenPipeError, type SingerWriter } from '../singer/writer';
import type { AuditStream, StreamDef } from '../streams/kinds';
import { parseInstant } from '../util/time';
import { syncAuditAndDeletes } from './deletes';
import type { Family, SyncContext } from './family';
import { syncFullTable } from './full-table';
import { syncIncremental } from './incremental';
import { Progress } from './progress';
import { planFamilies, rootName } from './plan';
import { selectionReport } from './selection-report';
import { StateStore } from './state-store';
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

/** How many families sync at once (see runFamilies). */
const FAMILY_CONCURRENCY = 2;

/**
 * One sync: resolve the selected streams, group them into families (a root and the streams riding on its pass),
 * run the families in table order (resuming with the one an interrupted run was in), then the audit log and
 * delete detection. Returns the exit code; every failure is reported as one line.
 */
export async function runSync(opts: SyncOptions): Promise<ExitCode> {
  const { config, logger, writer, signal } = opts;
  const run = runAbort(signal);
  const client = makeClient(config, logger, opts.version, run.signal, opts.windowMs);
  const facts = new OrgFacts(client, logger);
  const store = new StateStore(opts.state, writer);
  const progress = new Progress(logger, client, client.orgBudget, opts.progressIntervalMs);
  /** Streams that failed on their own (the run goes on without them) → the one-line reason. */
  const failed = new Map<string, string>();
  try {
    const { defs, entries, families } = await planFamilies(config, opts.catalog, writer, facts, logger); // a bad catalog stops here, before anything is on stdout
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

    const needsKlasses = families.some((f) => readsKObjects(f.root));
    const ctx = await syncContext(opts, { client, facts, store, progress, failed, signal: run.signal, needsKlasses });
    const healthyUpdates = await runFamilies(families, defs, ctx, run, failed);
    await runAuditAndDeletes(families, healthyUpdates, defs, ctx, failed);
    store.syncing(null);
    store.emit();
    await writer.end();
    progress.summary(failed);
    return failed.size ? ExitCode.partial : ExitCode.ok;
  } catch (err) {
    progress.stop();
    return await exitCodeOf(err, opts);
  } finally {
    run.dispose();
    await client.close();
  }
}

/**
 * The run's own abort: a signal from outside, or a fatal error in one family that must stop the others.
 * `dispose` unhooks it from the outside signal.
 */
function runAbort(outside: AbortSignal): AbortController & { dispose(): void } {
  const run = new AbortController();
  setMaxListeners(0, run.signal);
  const forward = () => run.abort(outside.reason);
  if (outside.aborted) forward();
  else outside.addEventListener('abort', forward, { once: true });
  return Object.assign(run, { dispose: () => outside.removeEventListener('abort', forward) });
}

interface RunParts {
  client: KustomerClient;
  facts: OrgFacts;
  store: StateStore;
  progress: Progress;
  failed: Map<string, string>;
  signal: AbortSignal;
  /** A KObject stream is selected: read the klasses once, for their names. */
  needsKlasses: boolean;
}

/** Everything a family run needs, built once per sync. */
async function syncContext(opts: SyncOptions, parts: RunParts): Promise<SyncContext> {
  const { config, logger, writer } = opts;
  const { client, facts, store, progress, failed } = parts;
  const klasses = parts.needsKlasses ? await facts.klasses() : undefined;
  const end = config.end_date ? parseInstant(config.end_date)!.getTime() : Infinity;
  return {
    config,
    client,
    logger,
    state: store,
    progress,
    transform: klassNameLookup(klasses),
    discovery: { klassNames: async () => (await facts.klasses()).map((k) => k.name) },
    upper: new Date(Math.min(Date.now(), end)).toISOString(),
    signal: parts.signal,
    drain: () => writer.drained(),
    failStream: (family, stream, err) => {
      if (!(err instanceof ForbiddenError)) throw err;
      family.outputs.delete(stream);
      failed.set(stream, err.message);
      logger.error(err.message);
      return undefined;
    },
  };
}

/**
 * Runs the Replace and Update families, FAMILY_CONCURRENCY at a time, so the rate budget keeps working while one
 * finishes its last page and the next starts its first. Each writes only its own streams' bookmarks: every STATE is
 * a safe resume point. `currently_syncing` names the earliest family still running. A family that fails on its own
 * is reported and the others go on; a fatal error (401, a closed pipe, a signal) stops them all and is rethrown.
 * Returns the Update families that completed (their deletes are then read from the audit log).
 */
async function runFamilies(
  families: Family[],
  defs: readonly StreamDef[],
  ctx: SyncContext,
  run: AbortController,
  failed: Map<string, string>,
): Promise<Family[]> {
  const { state: store, logger } = ctx;
  const runnable = resumeOrder(
    families.filter((f) => f.root.kind !== 'audit'),
    rootName(store.current.currently_syncing, defs),
    (f) => f.root.name,
  );
  const healthyUpdates: Family[] = [];
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
        ctx.progress.begin(family.outputs.keys());
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
          ctx.progress.end(family.outputs.keys());
          running.delete(family.root.name);
          markSyncing();
        }
      }),
    ),
  );
  if (fatal !== undefined) throw fatal;
  return healthyUpdates;
}

/**
 * Hard deletes arrive through the audit log: read it whenever an Update stream or audit_logs is selected. Without
 * the audit role, the audit_logs stream fails on its own, and delete detection says loudly what is not detected.
 */
async function runAuditAndDeletes(
  families: Family[],
  healthyUpdates: Family[],
  defs: readonly StreamDef[],
  ctx: SyncContext,
  failed: Map<string, string>,
): Promise<void> {
  const auditDef = defs.find((d): d is AuditStream => d.kind === 'audit')!;
  const auditFamily = families.find((f) => f.root.kind === 'audit');
  const deleteTargets = healthyUpdates.filter((f) => f.root.kind === 'search');
  if (!auditFamily && !deleteTargets.length) return;
  ctx.state.syncing(auditDef.name);
  ctx.state.emit();
  const pass = [...(auditFamily?.outputs.keys() ?? [])];
  ctx.progress.begin(pass);
  try {
    await syncAuditAndDeletes(auditFamily, deleteTargets, auditDef, ctx);
  } catch (err) {
    if (!isStreamFailure(err)) throw err;
    if (auditFamily) failed.set(auditDef.name, (err as Error).message);
    ctx.logger.error(
      auditFamily
        ? (err as Error).message
        : `DELETES NOT DETECTED: cannot read the audit log (${(err as Error).message}). Records deleted permanently in Kustomer ` +
            `(customers, conversations, KObjects) stay in the warehouse until a full refresh. Grant the API key org.permission.audit_logs.read.`,
    );
  } finally {
    ctx.progress.end(pass);
  }
}

/** The exit code of a run that threw, after saying why in one line (and, on a signal, where to resume). */
async function exitCodeOf(err: unknown, opts: SyncOptions): Promise<ExitCode> {
  const { writer, logger, signal } = opts;
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
    return err instanceof AuthError ? ExitCode.auth : err.exitCode;
  }
  throw err;
}

function isStreamFailure(err: unknown): boolean {
  // An unreachable Kustomer is the whole run's problem, not one stream's (connect_retry_seconds bounds it).
  return err instanceof TapError && !(err instanceof AuthError) && !(err instanceof InputError) && !(err instanceof UnreachableError);
}
