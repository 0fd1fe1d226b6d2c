/**
 * The message loop: SCHEMA resolves a stream's mapping, RECORDs go to their stream's writer, STATE waits for its
 * records, ACTIVATE_VERSION closes a mirror audience's version. Input is read message by message (backpressure: the
 * next line is read only when the previous message is handled).
 */
import type { Writable } from 'node:stream';
import type { SingerLine } from '@tap-kustomer/singer-io';
import { ExitCode, InputError, TapError } from '../errors';
import { connect } from '../kustomer-client/connect';
import { realClock, type Clock } from '../kustomer-client/rate-budget';
import type { Logger } from '../log';
import { tagId } from './audience';
import { Checkpoints } from './checkpoints';
import { CustomAttributeCatalog } from './custom-attributes';
import { mappingInput, resolveMapping } from './mapping';
import { KnownObjects } from './matcher';
import { Rejects } from './rejects';
import { Report, type Counts } from './report';
import type { TargetSettings } from './settings';
import { StreamWriter, type WriterContext } from './stream-writer';

export interface RunOptions {
  settings: TargetSettings;
  /** Parsed Singer messages with their line numbers (readSingerMessages on stdin). */
  messages: AsyncIterable<SingerLine>;
  stdout: Writable;
  logger: Logger;
  signal: AbortSignal;
  version: string;
  progressIntervalMs: number;
  /** Rate-limit window (Kustomer: 60 s); the sandbox's time-scaled windows set it shorter. */
  windowMs?: number;
  clock?: Clock;
}

/** Placeholder id for a tag a dry run would create. */
const PLANNED_TAG = 'dry-run:new-tag';

export async function runTarget(opts: RunOptions): Promise<ExitCode> {
  const { settings, logger } = opts;
  const client = connect(settings, logger, `target-kustomer/${opts.version}`, opts.signal, opts.windowMs);
  const catalog = new CustomAttributeCatalog(client, 'metadata');
  const rejects = new Rejects(settings.rejected_records_path, logger);
  const ctx: WriterContext = {
    client,
    clock: opts.clock ?? realClock,
    rejects,
    dryRun: settings.dry_run,
    batchSize: settings.batch_size,
    firstPollMs: settings.bulk_poll_seconds * 1000,
    signal: opts.signal,
  };
  const writers = new Map<string, StreamWriter>();
  const known = new Map<string, KnownObjects>();
  const activated = new Set<string>();
  const counts = () => new Map<string, Counts>([...writers].map(([s, w]) => [s, w.counts]));
  const report = new Report(logger, client, counts, settings.dry_run);
  const checkpoints = new Checkpoints((value) => {
    if (!settings.dry_run) opts.stdout.write(JSON.stringify(value) + '\n');
  });
  let seq = 0;

  const oldestUnconfirmed = () => Math.min(...[...writers.values()].map((w) => w.oldestPending), seq + 1);
  const flushAll = async () => {
    for (const w of writers.values()) await w.flush();
    checkpoints.confirm(oldestUnconfirmed());
  };

  report.start(opts.progressIntervalMs);
  try {
    for await (const { lineNo, message } of opts.messages) {
      const stream = message.stream;
      switch (message.type) {
        case 'SCHEMA': {
          if (typeof stream !== 'string' || !stream) throw new InputError(`line ${lineNo}: SCHEMA without a stream name`);
          const existing = writers.get(stream);
          if (existing) await existing.flush();
          const schema = message.schema as { properties?: Record<string, unknown> } | undefined;
          const properties = schema?.properties ? Object.keys(schema.properties) : undefined;
          const mapping = await resolveMapping(stream, mappingInput(settings, stream), properties, catalog);
          const names = await catalog.names(mapping.object.resource);
          let tag: string | undefined;
          if (mapping.audience) tag = (await tagId(client, stream, mapping.audience.tag, !settings.dry_run)) ?? PLANNED_TAG;
          let objects = known.get(mapping.object.resource);
          if (!objects) known.set(mapping.object.resource, (objects = new KnownObjects()));
          const writer = new StreamWriter(ctx, mapping, names, objects, tag);
          if (existing) Object.assign(writer.counts, existing.counts);
          writers.set(stream, writer);
          break;
        }
        case 'RECORD': {
          const writer = typeof stream === 'string' ? writers.get(stream) : undefined;
          if (!writer) throw new InputError(`line ${lineNo}: RECORD for stream ${String(stream)} before its SCHEMA`);
          const record = message.record;
          if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new InputError(`line ${lineNo}: RECORD without a record object`);
          const version = typeof message.version === 'number' ? message.version : undefined;
          if (writer.mapping.audience?.mode === 'mirror' && version === undefined) {
            throw new InputError(
              `stream ${writer.stream}: audience mode mirror needs a versioned full-table stream (RECORDs with a version, then ACTIVATE_VERSION); this RECORD has no version. Use add or remove, or make the tap send ACTIVATE_VERSION`,
            );
          }
          seq++;
          if (!writer.add(seq, record as Record<string, unknown>, version)) {
            await writer.flush();
            checkpoints.confirm(oldestUnconfirmed());
            writer.add(seq, record as Record<string, unknown>, version);
          }
          if (writer.full) {
            await writer.flush();
            checkpoints.confirm(oldestUnconfirmed());
          }
          // A STATE waiting a whole batch behind: flush everything so resumes never fall far behind.
          const waiting = checkpoints.oldestWaitingAfter;
          if (waiting !== undefined && seq - waiting >= settings.batch_size) await flushAll();
          break;
        }
        case 'STATE':
          if (message.value === undefined) throw new InputError(`line ${lineNo}: STATE without a value`);
          checkpoints.received(seq, message.value);
          checkpoints.confirm(oldestUnconfirmed());
          break;
        case 'ACTIVATE_VERSION': {
          const writer = typeof stream === 'string' ? writers.get(stream) : undefined;
          if (!writer) throw new InputError(`line ${lineNo}: ACTIVATE_VERSION for stream ${String(stream)} before its SCHEMA`);
          if (typeof message.version !== 'number') throw new InputError(`line ${lineNo}: ACTIVATE_VERSION without a numeric version`);
          await flushAll();
          await writer.activateVersion(message.version);
          activated.add(writer.stream);
          break;
        }
        default:
          throw new InputError(`line ${lineNo}: unknown message type ${JSON.stringify(message.type)}`);
      }
    }
    await flushAll();
    report.stop();
    for (const line of report.table()) logger.info(line);

    for (const w of writers.values()) {
      if (w.mapping.audience?.mode === 'mirror' && w.counts.records > 0 && !activated.has(w.stream)) {
        throw new TapError(`stream ${w.stream}: audience mode mirror received no ACTIVATE_VERSION; objects were tagged but none untagged`, ExitCode.partial);
      }
    }
    const total = [...writers.values()].reduce((n, w) => n + w.counts.records, 0);
    const rejected = [...writers.values()].reduce((n, w) => n + w.counts.rejected, 0);
    if (rejected > 0) {
      const percent = (100 * rejected) / Math.max(1, total);
      if (percent > settings.max_rejected_percent) {
        throw new TapError(
          `${rejected} of ${total} records rejected (${percent.toFixed(1)} %, above max_rejected_percent ${settings.max_rejected_percent})${settings.rejected_records_path ? `; see ${settings.rejected_records_path}` : ''}`,
          ExitCode.partial,
        );
      }
    }
    return ExitCode.ok;
  } finally {
    report.stop();
    await client.close();
  }
}
