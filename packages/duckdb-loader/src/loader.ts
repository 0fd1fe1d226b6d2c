/**
 * A Singer target that loads into DuckDB: the logic behind `tap-kustomer-duckdb`, usable in-process.
 *
 * - SCHEMA creates `<schema>.<stream>` or evolves it (table-ddl.ts). `key_properties` are the upsert key; without
 *   keys a stream is append-only.
 * - RECORDs are buffered per stream (record-buffer.ts) and written in one transaction per flush (flush.ts). Flushes
 *   happen when `batchSize` records are buffered, before a STATE is emitted, before a changed SCHEMA or an
 *   ACTIVATE_VERSION is applied, and at the end of the input.
 * - A STATE value is emitted only after every record received before it is committed (state-holder.ts). States
 *   that arrive within `stateIntervalMs` of the last flush wait for the next flush instead of forcing one each.
 * - Tombstones (`_sdc_deleted_at` set) soft-delete by default: the row keeps its last known values and gets
 *   `_sdc_deleted_at`; a tombstone whose key has no row writes nothing. With `hardDelete` the row is deleted.
 * - ACTIVATE_VERSION hard-deletes the rows of older versions (activate-version.ts).
 *
 * Metadata columns: `_sdc_extracted_at` (RECORD.time_extracted), `_sdc_received_at`, `_sdc_deleted_at` (from the
 * record), `_sdc_table_version` (RECORD.version), `_sdc_sequence` (epoch microseconds, strictly increasing per run).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { singerMessage } from '@tap-kustomer/singer-io';
import { deleteOlderVersions, parseActivateVersion } from './activate-version';
import { META_NAMES } from './column-types';
import { DEFAULT_BATCH_SIZE, DEFAULT_SCHEMA, DEFAULT_STATE_INTERVAL_MS, defaultLog } from './defaults';
import { errorMessage } from './error-text';
import { flushStream } from './flush';
import type { Db, FlushDelta, Pending, StreamTarget } from './model';
import { bufferRecord, pendingRecord, ReceiveClock } from './record-buffer';
import { parseSchemaMessage } from './schema-message';
import { currentCatalog, ident, qualified, toNumber } from './sql';
import { StateHolder } from './state-holder';
import { describeTable, ensureTable } from './table-ddl';
import { type LoaderOptions, type TargetSummary, TargetError, TargetExitCode, TargetInputError } from './types';
import { isPlainObject } from './values';


/**
 * Loads Singer messages into DuckDB. `handle()` one parsed message at a time (awaiting each), then `finish()`
 * (flush and last state) and `close()`.
 */
export class DuckDbLoader {
  private readonly streams = new Map<string, StreamTarget>();
  private pendingCount = 0;
  private readonly clock = new ReceiveClock();
  private records = 0;
  private readonly state: StateHolder;
  private readonly warnedTypes = new Set<string>();
  private readonly started = Date.now();
  private closed = false;
  private readonly db: Db;
  private readonly hardDelete: boolean;
  private readonly batchSize: number;
  private readonly stateIntervalMs: number;
  private lastFlushAt = Date.now();
  private readonly log: (line: string) => void;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    opts: LoaderOptions,
  ) {
    this.hardDelete = opts.hardDelete ?? false;
    this.batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    this.stateIntervalMs = opts.stateIntervalMs ?? DEFAULT_STATE_INTERVAL_MS;
    this.log = opts.log ?? defaultLog;
    this.state = new StateHolder(opts.emitState ?? (() => undefined));
    this.db = { conn, schema: opts.schema ?? DEFAULT_SCHEMA, catalog: 'memory', log: this.log };
  }

  static async open(opts: LoaderOptions): Promise<DuckDbLoader> {
    if (!opts.database) throw new TargetInputError('no database given (--database FILE or "database" in the config)');
    const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new TargetInputError(`batch size must be a positive integer, got ${String(opts.batchSize)}`);
    }
    let instance: DuckDBInstance;
    try {
      if (opts.database !== ':memory:') mkdirSync(dirname(opts.database), { recursive: true });
      instance = await DuckDBInstance.create(opts.database);
    } catch (e) {
      throw new TargetError(`cannot open DuckDB database ${opts.database}: ${errorMessage(e)}`, TargetExitCode.internal);
    }
    const conn = await instance.connect();
    const loader = new DuckDbLoader(instance, conn, opts);
    try {
      await conn.run(`SET TimeZone = 'UTC'`);
      loader.db.catalog = await currentCatalog(conn);
      await conn.run(`CREATE SCHEMA IF NOT EXISTS ${ident(loader.db.catalog)}.${ident(loader.db.schema)}`);
    } catch (e) {
      loader.close();
      throw new TargetError(`cannot prepare DuckDB database ${opts.database}: ${errorMessage(e)}`, TargetExitCode.internal);
    }
    return loader;
  }

  /** Handles one parsed Singer message. `where` prefixes error messages (e.g. `line 12`). */
  async handle(value: unknown, where = 'message'): Promise<void> {
    const message = singerMessage(value, where);
    const type = message.type.toUpperCase();
    switch (type) {
      case 'RECORD':
        return this.onRecord(message, where);
      case 'SCHEMA':
        return this.onSchema(message, where);
      case 'STATE':
        return this.onState(message, where);
      case 'ACTIVATE_VERSION':
        return this.onActivateVersion(message, where);
      default:
        if (!this.warnedTypes.has(type)) {
          this.warnedTypes.add(type);
          this.log(`WARN ${where}: ignoring message type ${JSON.stringify(message.type)} (later ones are ignored silently)`);
        }
    }
  }

  private async onRecord(msg: Record<string, unknown>, where: string): Promise<void> {
    const stream = msg['stream'];
    const rec = msg['record'];
    if (typeof stream !== 'string') throw new TargetInputError(`${where}: RECORD without a "stream"`);
    const target = this.streams.get(stream);
    if (!target) throw new TargetInputError(`${where}: RECORD for stream "${stream}" arrived before its SCHEMA`);
    if (!isPlainObject(rec)) throw new TargetInputError(`${where}: RECORD for stream "${stream}" has no "record" object`);

    const version = msg['version'];
    if (version !== undefined && version !== null && !Number.isSafeInteger(version)) {
      throw new TargetInputError(`${where}: RECORD for stream "${stream}" has a non-integer "version"`);
    }
    for (const field in rec) {
      if (!target.known.has(field) && !target.warnedFields.has(field)) {
        target.warnedFields.add(field);
        this.log(`WARN stream "${stream}": field "${field}" is not in the schema; it is dropped`);
      }
    }
    const entry = pendingRecord(msg, rec, typeof version === 'number' ? version : null, this.clock);
    target.stats.received++;
    this.records++;
    if (bufferRecord(target, entry, this.hardDelete, where)) this.pendingCount++;
    if (this.pendingCount >= this.batchSize) await this.flush();
  }

  private async onSchema(msg: Record<string, unknown>, where: string): Promise<void> {
    const parsed = parseSchemaMessage(msg, where);
    const { stream, wanted, keys, signature } = parsed;
    const current = this.streams.get(stream);
    if (current && current.signature === signature) return;

    // Records buffered under the previous schema are written with it.
    if (current && this.pendingCount > 0) await this.flush();

    const table = qualified(this.db.catalog, this.db.schema, stream);
    let tableColumns: { columns: StreamTarget['columns']; allColumns: string[] };
    try {
      tableColumns = await ensureTable(this.db, stream, table, wanted, keys);
    } catch (e) {
      if (e instanceof TargetError) throw e;
      throw new TargetError(`cannot create or update table ${this.db.schema}.${stream}: ${errorMessage(e)}`, TargetExitCode.internal);
    }
    const known = new Set(parsed.properties);
    for (const m of META_NAMES) known.add(m);
    this.streams.set(stream, {
      stream,
      table,
      keys,
      ...tableColumns,
      known,
      warnedFields: current?.warnedFields ?? new Set(),
      signature,
      keyed: new Map(),
      appendOnly: [],
      stats: current?.stats ?? {
        stream,
        table: `${this.db.schema}.${stream}`,
        received: 0,
        upserted: 0,
        softDeleted: 0,
        hardDeleted: 0,
        tombstonesIgnored: 0,
        versionDeleted: 0,
      },
    });
  }

  private async onState(msg: Record<string, unknown>, where: string): Promise<void> {
    if (!('value' in msg)) {
      this.log(`WARN ${where}: STATE without a "value"; ignored`);
      return;
    }
    this.state.receive(msg['value']);
    // With nothing buffered the state is emitted at once. Otherwise it is emitted after the flush that commits the
    // records before it: right now if the last flush is stateIntervalMs old, else at the next batch flush, STATE,
    // SCHEMA change, ACTIVATE_VERSION or the end of the input. (A tap that sends STATE every page would otherwise
    // cost a transaction per page.)
    if (this.pendingCount === 0 || Date.now() - this.lastFlushAt >= this.stateIntervalMs) await this.flush();
  }

  private async onActivateVersion(msg: Record<string, unknown>, where: string): Promise<void> {
    const { stream, version } = parseActivateVersion(msg, where);
    await this.flush();
    const target = this.streams.get(stream);
    if (!target && (await describeTable(this.db, stream)) === null) {
      this.log(`WARN ${where}: ACTIVATE_VERSION for stream "${stream}", which has no table; ignored`);
      return;
    }
    const table = target?.table ?? qualified(this.db.catalog, this.db.schema, stream);
    const removed = await deleteOlderVersions(this.db, stream, table, version);
    if (target) target.stats.versionDeleted += removed;
  }

  /** Commits every buffered record (all streams in one transaction), then emits the latest state if it is new:
   * every record received before it is now committed. */
  async flush(): Promise<void> {
    if (this.pendingCount > 0) {
      const parts: { target: StreamTarget; entries: Pending[] }[] = [];
      for (const target of this.streams.values()) {
        if (target.keyed.size === 0 && target.appendOnly.length === 0) continue;
        parts.push({ target, entries: target.keys.length ? [...target.keyed.values()] : target.appendOnly });
      }
      await this.commit(parts);
      for (const { target } of parts) {
        target.keyed = new Map();
        target.appendOnly = [];
      }
      this.pendingCount = 0;
    }
    await this.state.committed();
  }

  private async commit(parts: { target: StreamTarget; entries: Pending[] }[]): Promise<void> {
    const deltas: FlushDelta[] = [];
    await this.conn.run('BEGIN TRANSACTION');
    try {
      for (const { target, entries } of parts) deltas.push(await flushStream(this.db, target, entries, this.hardDelete));
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      if (e instanceof TargetError) throw e;
      throw new TargetError(`writing to ${this.db.schema} failed: ${errorMessage(e)}`, TargetExitCode.internal);
    }
    parts.forEach(({ target }, i) => {
      const delta = deltas[i] as FlushDelta;
      target.stats.upserted += delta.upserted;
      target.stats.softDeleted += delta.softDeleted;
      target.stats.hardDeleted += delta.hardDeleted;
      target.stats.tombstonesIgnored += delta.tombstonesIgnored;
    });
    this.lastFlushAt = Date.now();
  }

  /** End of input: commits everything and emits the latest state if it was not emitted yet. */
  async finish(): Promise<void> {
    await this.flush();
  }

  summary(): TargetSummary {
    return {
      streams: [...this.streams.values()].map((s) => ({ ...s.stats })),
      records: this.records,
      statesEmitted: this.state.emitted,
      elapsedMs: Date.now() - this.started,
    };
  }

  /** Rows in a stream's table, as seen between flushes (i.e. committed rows). */
  async countRows(stream: string): Promise<number> {
    const r = (await this.conn.runAndReadAll(`SELECT count(*) FROM ${qualified(this.db.catalog, this.db.schema, stream)}`)).getRows()[0];
    return toNumber(r?.[0]);
  }

  /** One line per stream, then a total. Row counts are read from the tables. */
  async logSummary(incomplete = false): Promise<void> {
    const summary = this.summary();
    for (const s of summary.streams) {
      let rows = '';
      if (!this.closed) {
        try {
          rows = `; table has ${await this.countRows(s.stream)} rows`;
        } catch {
          rows = '';
        }
      }
      const del = this.hardDelete ? `${s.hardDeleted} deleted (hard)` : `${s.softDeleted} deleted (soft)`;
      this.log(
        `INFO stream "${s.stream}" -> ${s.table}: ${s.received} records received, ${s.upserted} upserted, ${del}, ` +
          `${s.tombstonesIgnored} tombstones without a row ignored, ${s.versionDeleted} removed by ACTIVATE_VERSION${rows}`,
      );
    }
    const secs = summary.elapsedMs / 1000;
    const rate = secs > 0 ? Math.round(summary.records / secs) : summary.records;
    this.log(
      `INFO ${incomplete ? 'stopped after' : 'loaded'} ${summary.records} records into ${summary.streams.length} tables in ` +
        `${secs.toFixed(2)}s (${rate} records/s); ${summary.statesEmitted} states emitted`,
    );
  }

  /** Closes the database; an open transaction (an unfinished flush) is rolled back. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.conn.closeSync();
    } finally {
      this.instance.closeSync();
    }
  }
}
