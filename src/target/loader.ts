/**
 * A Singer target that loads into DuckDB: the logic behind `tap-kustomer-duckdb`, usable in-process.
 *
 * - SCHEMA creates `<schema>.<stream>` or evolves it (new properties become new columns; a type that no longer fits
 *   is widened to DOUBLE, VARCHAR or JSON, never refused). `key_properties` are the upsert key (kept unique by the
 *   loader and recorded in the table comment; see ensureTable for why it is not a DuckDB PRIMARY KEY); without keys
 *   a stream is append-only.
 * - RECORDs are buffered per stream (last record per key wins) and written in one transaction per flush: the batch
 *   is appended to a temporary all-VARCHAR staging table, checked (a value that does not fit its column is an input
 *   error naming the column), cast once, then written with one DELETE of the batch's keys plus one INSERT (keyed) or
 *   one INSERT (append-only). Flushes happen when `batchSize` records are buffered, before a STATE is emitted, before
 *   a changed SCHEMA or an ACTIVATE_VERSION is applied, and at the end of the input.
 * - A STATE value is emitted only after every record received before it is committed, so a saved state never
 *   points past data that is not in the database (records after it may be committed too: at-least-once). States
 *   that arrive within `stateIntervalMs` of the last flush wait for the next flush instead of forcing one each.
 * - Tombstones (`_sdc_deleted_at` set) soft-delete by default: the row keeps its last known values and gets
 *   `_sdc_deleted_at`; a tombstone whose key has no row writes nothing. With `hardDelete` the row is deleted.
 *
 * Metadata columns: `_sdc_extracted_at` (RECORD.time_extracted), `_sdc_received_at`, `_sdc_deleted_at` (from the
 * record), `_sdc_table_version` (RECORD.version), `_sdc_sequence` (epoch microseconds, strictly increasing per run).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTimestampTZValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import {
  type ColumnType,
  type LoaderOptions,
  type RunTargetOptions,
  type StreamStats,
  type TableCount,
  type TargetSummary,
  TargetAbortedError,
  TargetError,
  TargetExitCode,
  TargetInputError,
} from './types';

export * from './types';

export const DEFAULT_SCHEMA = 'kustomer';
export const DEFAULT_BATCH_SIZE = 10_000;
export const DEFAULT_STATE_INTERVAL_MS = 1_000;

/** Metadata columns the target owns; a schema property with one of these names is not a data column. */
const META_COLUMNS = [
  { name: '_sdc_extracted_at', type: 'TIMESTAMPTZ' },
  { name: '_sdc_received_at', type: 'TIMESTAMPTZ' },
  { name: '_sdc_deleted_at', type: 'TIMESTAMPTZ' },
  { name: '_sdc_table_version', type: 'BIGINT' },
  { name: '_sdc_sequence', type: 'BIGINT' },
] as const satisfies readonly { name: string; type: ColumnType }[];
const META_NAMES = new Set<string>(META_COLUMNS.map((c) => c.name));

/** Temporary tables of a flush (connection-local). */
const STAGE = '__tap_kustomer_duckdb_stage';
const TYPED = '__tap_kustomer_duckdb_typed';
const TOMBS = '__tap_kustomer_duckdb_tombs';
const tempTable = (name: string): string => `temp.main.${ident(name)}`;

// ---------------------------------------------------------------------------------------------------------------
// SQL and type helpers

/** Quotes an identifier. DuckDB matches identifiers case-insensitively, even quoted. */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A SQL string literal. */
function literal(text: string): string {
  return "'" + text.replace(/'/g, "''") + "'";
}

/**
 * Fully qualified `"database"."schema"."table"`: DuckDB names the database after its file, so `kustomer.duckdb`
 * holds a database named `kustomer`, and `"kustomer"."brands"` would be ambiguous with schema `kustomer`.
 */
function qualified(catalog: string, schema: string, table: string): string {
  return `${ident(catalog)}.${ident(schema)}.${ident(table)}`;
}

async function currentCatalog(conn: DuckDBConnection): Promise<string> {
  return String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0]?.[0] ?? 'memory');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The DuckDB column type for one JSON Schema property. "null" is ignored; no type, several types (other than
 * integer+number) or object/array give JSON. */
export function columnTypeFor(prop: unknown): ColumnType {
  const types = new Set<string>();
  let dateTime = false;
  const collect = (node: unknown, depth: number): void => {
    if (!isPlainObject(node) || depth > 8) return;
    const t = node['type'];
    if (typeof t === 'string') types.add(t);
    else if (Array.isArray(t)) for (const x of t) if (typeof x === 'string') types.add(x);
    if (node['format'] === 'date-time') dateTime = true;
    for (const k of ['anyOf', 'oneOf'] as const) {
      const branches = node[k];
      if (Array.isArray(branches)) for (const b of branches) collect(b, depth + 1);
    }
  };
  collect(prop, 0);
  types.delete('null');
  if (types.size === 2 && types.has('integer') && types.has('number')) return 'DOUBLE';
  if (types.size !== 1) return 'JSON';
  switch ([...types][0]) {
    case 'string':
      return dateTime ? 'TIMESTAMPTZ' : 'VARCHAR';
    case 'integer':
      return 'BIGINT';
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'JSON';
  }
}

/** Normalises a DuckDB `data_type` as information_schema reports it. */
function normaliseDbType(raw: string): string {
  const t = raw.toUpperCase();
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMPTZ';
  return t;
}

const KNOWN_TYPES = new Set<string>(['VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'TIMESTAMPTZ', 'JSON']);

/** The type an existing column must have to hold both what it holds and values of `wanted`. Widening only:
 * BIGINT+DOUBLE -> DOUBLE, anything+JSON -> JSON, any other disagreement -> VARCHAR. A column of a type this target
 * does not create (made by another tool) is left as it is. */
export function widenType(existing: string, wanted: ColumnType): string {
  if (existing === wanted) return existing;
  if (!KNOWN_TYPES.has(existing)) return existing;
  if (existing === 'JSON' || wanted === 'JSON') return 'JSON';
  if (existing === 'VARCHAR') return 'VARCHAR';
  if ((existing === 'BIGINT' || existing === 'DOUBLE') && (wanted === 'BIGINT' || wanted === 'DOUBLE')) return 'DOUBLE';
  return 'VARCHAR';
}

/** SQL that converts column `col` from type `from` to `to` when a column is widened (existing rows). */
function convertExpr(col: string, from: string, to: string): string {
  if (from === to) return col;
  const isoText = `strftime(${col} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')`;
  if (to === 'JSON') return from === 'TIMESTAMPTZ' ? `to_json(${isoText})` : `to_json(${col})`;
  if (to === 'VARCHAR' && from === 'TIMESTAMPTZ') return isoText;
  return `CAST(${col} AS ${to})`;
}

function castExpr(expr: string, type: string): string {
  return type === 'VARCHAR' ? expr : `CAST(${expr} AS ${type})`;
}

/** Text for a staging VARCHAR cell; the flush casts it to the column's type. */
function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** JSON columns store every value as JSON text (a string becomes `"abc"`). */
function toJsonText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return JSON.stringify(v);
}

function keyPart(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message;
  return line.trim();
}

function errorMessage(e: unknown): string {
  return firstLine(e instanceof Error ? e.message : String(e));
}

function short(text: string, max = 120): string {
  return text.length > max ? text.slice(0, max) + '…' : text;
}

function toNumber(v: DuckDBValue | undefined): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  return 0;
}

function defaultLog(line: string): void {
  process.stderr.write(line + '\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The loader

interface DataColumn {
  /** Property name in the records. */
  prop: string;
  /** Column name in the table (the property name unless the table already has it with another case). */
  column: string;
  /** The column's actual type in the table (may be wider than the schema asks for). */
  type: string;
  json: boolean;
  isKey: boolean;
}

interface Pending {
  rec: Record<string, unknown>;
  tomb: boolean;
  /** Insert when no row has the key. False for a tombstone (soft deletes never create rows), except a tombstone
   * that follows a live record of the same key in the same batch: that row is kept, marked deleted. */
  insert: boolean;
  extractedAt: string | null;
  receivedAt: string;
  deletedAt: string | null;
  version: number | null;
  seq: number;
}

interface HeldState {
  value: unknown;
  text: string;
}

interface CommitPart {
  target: StreamTarget;
  entries: Pending[];
}

type FlushDelta = Pick<StreamStats, 'upserted' | 'softDeleted' | 'hardDeleted' | 'tombstonesIgnored'>;

interface StreamTarget {
  stream: string;
  table: string;
  keys: string[];
  /** The schema's properties, as columns. */
  columns: DataColumn[];
  /** Every column of the table, in table order (may include columns of earlier schemas). */
  allColumns: string[];
  known: Set<string>;
  warnedFields: Set<string>;
  signature: string;
  keyed: Map<string, Pending>;
  appendOnly: Pending[];
  stats: StreamStats;
}

interface ExistingColumn {
  name: string;
  type: string;
}

/**
 * Loads Singer messages into DuckDB. `handle()` one parsed message at a time (awaiting each), then `finish()`
 * (flush and last state) and `close()`.
 */
export class DuckDbLoader {
  private readonly streams = new Map<string, StreamTarget>();
  private pendingCount = 0;
  private lastNow = 0;
  private lastNowIso = '';
  private seq = 0;
  private records = 0;
  private statesEmitted = 0;
  /** The last STATE received (emitted once the records before it are committed). */
  private latestState: HeldState | undefined;
  private lastEmittedState: string | undefined;
  private readonly warnedTypes = new Set<string>();
  private readonly started = Date.now();
  private closed = false;
  private readonly schema: string;
  /** The database's own name (from its file name), for fully qualified table names. */
  private catalog = 'memory';
  private readonly hardDelete: boolean;
  private readonly batchSize: number;
  private readonly stateIntervalMs: number;
  private lastFlushAt = Date.now();
  private readonly log: (line: string) => void;
  private readonly emitState: (value: unknown) => Promise<void> | void;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    opts: LoaderOptions,
  ) {
    this.schema = opts.schema ?? DEFAULT_SCHEMA;
    this.hardDelete = opts.hardDelete ?? false;
    this.batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    this.stateIntervalMs = opts.stateIntervalMs ?? DEFAULT_STATE_INTERVAL_MS;
    this.log = opts.log ?? defaultLog;
    this.emitState = opts.emitState ?? (() => undefined);
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
      loader.catalog = await currentCatalog(conn);
      await conn.run(`CREATE SCHEMA IF NOT EXISTS ${ident(loader.catalog)}.${ident(loader.schema)}`);
    } catch (e) {
      loader.close();
      throw new TargetError(`cannot prepare DuckDB database ${opts.database}: ${errorMessage(e)}`, TargetExitCode.internal);
    }
    return loader;
  }

  /** Handles one parsed Singer message. `where` prefixes error messages (e.g. `line 12`). */
  async handle(message: unknown, where = 'message'): Promise<void> {
    if (!isPlainObject(message) || typeof message['type'] !== 'string') {
      throw new TargetInputError(`${where}: expected a JSON object with a "type"`);
    }
    const type = message['type'].toUpperCase();
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
          this.log(`WARN ${where}: ignoring message type ${JSON.stringify(message['type'])} (later ones are ignored silently)`);
        }
    }
  }

  // --- RECORD --------------------------------------------------------------------------------------------------

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

    const now = Date.now();
    if (now !== this.lastNow) {
      this.lastNow = now;
      this.lastNowIso = new Date(now).toISOString();
    }
    this.seq = Math.max(this.seq + 1, now * 1000);
    const deleted = rec['_sdc_deleted_at'];
    const extracted = msg['time_extracted'] ?? rec['_sdc_extracted_at'];
    const entry: Pending = {
      rec,
      tomb: deleted !== null && deleted !== undefined,
      insert: true,
      extractedAt: toText(extracted),
      receivedAt: this.lastNowIso,
      deletedAt: toText(deleted),
      version: typeof version === 'number' ? version : null,
      seq: this.seq,
    };
    if (entry.tomb) entry.insert = false;
    target.stats.received++;
    this.records++;

    if (target.keys.length === 0) {
      target.appendOnly.push(entry);
      this.pendingCount++;
    } else {
      const key = this.keyOf(target, rec, where);
      const prev = target.keyed.get(key);
      if (prev === undefined) {
        target.keyed.set(key, entry);
        this.pendingCount++;
      } else if (entry.tomb && !this.hardDelete && prev.insert) {
        // A soft delete after a live record of the same batch: keep that record's data, marked deleted.
        const merged: Record<string, unknown> = { ...prev.rec };
        for (const k in rec) if (rec[k] !== null && rec[k] !== undefined) merged[k] = rec[k];
        entry.rec = merged;
        entry.insert = true;
        target.keyed.set(key, entry);
      } else {
        target.keyed.set(key, entry);
      }
    }
    if (this.pendingCount >= this.batchSize) await this.flush();
  }

  private keyOf(target: StreamTarget, rec: Record<string, unknown>, where: string): string {
    const keys = target.keys;
    if (keys.length === 1) {
      const k = keys[0] as string;
      const v = rec[k];
      if (v === null || v === undefined) this.missingKey(target, k, where);
      return keyPart(v);
    }
    const parts: string[] = [];
    for (const k of keys) {
      const v = rec[k];
      if (v === null || v === undefined) this.missingKey(target, k, where);
      parts.push(keyPart(v));
    }
    return JSON.stringify(parts);
  }

  private missingKey(target: StreamTarget, key: string, where: string): never {
    throw new TargetInputError(`${where}: RECORD for stream "${target.stream}" has no value for key property "${key}"`);
  }

  // --- SCHEMA --------------------------------------------------------------------------------------------------

  private async onSchema(msg: Record<string, unknown>, where: string): Promise<void> {
    const stream = msg['stream'];
    const schema = msg['schema'];
    const rawKeys = msg['key_properties'] ?? [];
    if (typeof stream !== 'string' || stream === '') throw new TargetInputError(`${where}: SCHEMA without a "stream"`);
    if (!isPlainObject(schema) || !isPlainObject(schema['properties'])) {
      throw new TargetInputError(`${where}: SCHEMA for stream "${stream}" has no "schema.properties" object`);
    }
    if (!Array.isArray(rawKeys) || !rawKeys.every((k): k is string => typeof k === 'string')) {
      throw new TargetInputError(`${where}: SCHEMA for stream "${stream}" has a "key_properties" that is not a list of names`);
    }
    const properties = schema['properties'];
    const keys = [...rawKeys];

    const wanted: { prop: string; type: ColumnType }[] = [];
    const seen = new Map<string, string>();
    for (const [prop, def] of Object.entries(properties)) {
      const lower = prop.toLowerCase();
      if (META_NAMES.has(lower)) continue;
      const clash = seen.get(lower);
      if (clash !== undefined) {
        throw new TargetInputError(
          `${where}: stream "${stream}" has properties "${clash}" and "${prop}", which differ only in case (DuckDB column names are case-insensitive)`,
        );
      }
      seen.set(lower, prop);
      wanted.push({ prop, type: columnTypeFor(def) });
    }
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(properties, k) || META_NAMES.has(k.toLowerCase())) {
        throw new TargetInputError(`${where}: key property "${k}" of stream "${stream}" is not a property of its schema`);
      }
    }
    const signature = JSON.stringify([wanted, keys]);
    const current = this.streams.get(stream);
    if (current && current.signature === signature) return;

    // Records buffered under the previous schema are written with it.
    if (current && this.pendingCount > 0) await this.flush();

    const table = qualified(this.catalog, this.schema, stream);
    let columns: DataColumn[];
    let allColumns: string[];
    try {
      ({ columns, allColumns } = await this.ensureTable(stream, table, wanted, keys));
    } catch (e) {
      if (e instanceof TargetError) throw e;
      throw new TargetError(`cannot create or update table ${this.schema}.${stream}: ${errorMessage(e)}`, TargetExitCode.internal);
    }
    const known = new Set(Object.keys(properties));
    for (const m of META_NAMES) known.add(m);
    this.streams.set(stream, {
      stream,
      table,
      keys,
      columns,
      allColumns,
      known,
      warnedFields: current?.warnedFields ?? new Set(),
      signature,
      keyed: new Map(),
      appendOnly: [],
      stats: current?.stats ?? {
        stream,
        table: `${this.schema}.${stream}`,
        received: 0,
        upserted: 0,
        softDeleted: 0,
        hardDeleted: 0,
        tombstonesIgnored: 0,
        versionDeleted: 0,
      },
    });
  }

  private async describe(stream: string): Promise<ExistingColumn[] | null> {
    const reader = await this.conn.runAndReadAll(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_catalog = current_database() AND table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [this.schema, stream],
    );
    const rows = reader.getRows();
    if (rows.length === 0) return null;
    return rows.map((r) => ({ name: String(r[0]), type: normaliseDbType(String(r[1])) }));
  }

  private async primaryKey(stream: string): Promise<string[]> {
    const reader = await this.conn.runAndReadAll(
      `SELECT constraint_column_names FROM duckdb_constraints()
       WHERE database_name = current_database() AND schema_name = $1 AND table_name = $2 AND constraint_type = 'PRIMARY KEY'`,
      [this.schema, stream],
    );
    const rows = reader.getRowsJS();
    const names = rows[0]?.[0];
    return Array.isArray(names) ? names.map((n) => String(n)) : [];
  }

  /**
   * Creates or evolves the table; returns the data columns with their actual types.
   *
   * The key is the loader's upsert key, recorded in the table comment (`{"key_properties":[...]}`), not a DuckDB
   * PRIMARY KEY: DuckDB maintains a key's ART index on every delete and insert, which makes re-loading existing
   * rows over ten times slower, and a PRIMARY KEY can be neither dropped nor have its columns' types changed. The
   * loader keeps keys unique itself (one row per key per batch, and the batch's keys deleted before the insert).
   * A table that already has a PRIMARY KEY (made by something else) keeps it unless it contradicts the new
   * key_properties or a key column must be widened; then the table is rebuilt without it.
   */
  private async ensureTable(
    stream: string,
    table: string,
    wanted: { prop: string; type: ColumnType }[],
    keys: string[],
  ): Promise<{ columns: DataColumn[]; allColumns: string[] }> {
    const keySet = new Set(keys.map((k) => k.toLowerCase()));
    const existing = await this.describe(stream);
    const comment = `COMMENT ON TABLE ${table} IS ${literal(JSON.stringify({ key_properties: keys }))}`;

    if (existing === null) {
      const defs = [
        ...wanted.map((w) => `${ident(w.prop)} ${w.type}`),
        ...META_COLUMNS.map((m) => `${ident(m.name)} ${m.type}`),
      ];
      await this.conn.run('BEGIN TRANSACTION');
      try {
        await this.conn.run(`CREATE TABLE ${table} (${defs.join(', ')})`);
        await this.conn.run(comment);
        await this.conn.run('COMMIT');
      } catch (e) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
      this.log(`INFO created table ${this.schema}.${stream}${keys.length ? ` (key ${keys.join(', ')})` : ' (append-only)'}`);
      return {
        columns: wanted.map((w) => ({ prop: w.prop, column: w.prop, type: w.type, json: w.type === 'JSON', isKey: keySet.has(w.prop.toLowerCase()) })),
        allColumns: [...wanted.map((w) => w.prop), ...META_COLUMNS.map((m) => m.name)],
      };
    }

    const byLower = new Map(existing.map((c) => [c.name.toLowerCase(), c]));
    const adds: { name: string; type: string }[] = [];
    const alters: { name: string; from: string; to: string }[] = [];
    const columns: DataColumn[] = [];
    for (const w of wanted) {
      const ex = byLower.get(w.prop.toLowerCase());
      if (!ex) {
        adds.push({ name: w.prop, type: w.type });
        columns.push({ prop: w.prop, column: w.prop, type: w.type, json: w.type === 'JSON', isKey: keySet.has(w.prop.toLowerCase()) });
        continue;
      }
      const to = widenType(ex.type, w.type);
      if (to !== ex.type) alters.push({ name: ex.name, from: ex.type, to });
      columns.push({ prop: w.prop, column: ex.name, type: to, json: to === 'JSON', isKey: keySet.has(w.prop.toLowerCase()) });
    }
    for (const m of META_COLUMNS) if (!byLower.has(m.name)) adds.push({ name: m.name, type: m.type });
    const allColumns = [...existing.map((c) => c.name), ...adds.map((a) => a.name)];

    const pk = (await this.primaryKey(stream)).map((k) => k.toLowerCase());
    const pkConflict = pk.length > 0 && pk.join('\u0000') !== keys.map((k) => k.toLowerCase()).join('\u0000');
    const pkAltered = alters.some((a) => pk.includes(a.name.toLowerCase()));

    await this.conn.run('BEGIN TRANSACTION');
    try {
      if (pkConflict || pkAltered) {
        // DuckDB can neither drop a primary key nor change a key column's type: rebuild the table without it.
        const finalType = new Map(alters.map((a) => [a.name.toLowerCase(), a.to]));
        const defs = [
          ...existing.map((c) => `${ident(c.name)} ${finalType.get(c.name.toLowerCase()) ?? c.type}`),
          ...adds.map((a) => `${ident(a.name)} ${a.type}`),
        ];
        const select = existing.map((c) => {
          const to = finalType.get(c.name.toLowerCase());
          return to ? convertExpr(ident(c.name), c.type, to) : ident(c.name);
        });
        const tmp = qualified(this.catalog, this.schema, `${stream}__rebuild`);
        this.log(
          `WARN rebuilding table ${this.schema}.${stream} without its PRIMARY KEY (${pk.join(', ')}): ` +
            (pkConflict ? `the stream's key is now (${keys.join(', ') || 'none'})` : 'a key column must be widened'),
        );
        await this.conn.run(`DROP TABLE IF EXISTS ${tmp}`);
        await this.conn.run(`CREATE TABLE ${tmp} (${defs.join(', ')})`);
        await this.conn.run(
          `INSERT INTO ${tmp} (${existing.map((c) => ident(c.name)).join(', ')}) SELECT ${select.join(', ')} FROM ${table}`,
        );
        await this.conn.run(`DROP TABLE ${table}`);
        await this.conn.run(`ALTER TABLE ${tmp} RENAME TO ${ident(stream)}`);
      } else {
        for (const a of adds) await this.conn.run(`ALTER TABLE ${table} ADD COLUMN ${ident(a.name)} ${a.type}`);
        for (const a of alters) {
          await this.conn.run(
            `ALTER TABLE ${table} ALTER COLUMN ${ident(a.name)} SET DATA TYPE ${a.to} USING ${convertExpr(ident(a.name), a.from, a.to)}`,
          );
        }
      }
      await this.conn.run(comment);
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
    if (adds.length || alters.length) {
      const parts = [...adds.map((a) => `+${a.name} ${a.type}`), ...alters.map((a) => `${a.name} ${a.from}->${a.to}`)];
      this.log(`INFO evolved table ${this.schema}.${stream}: ${parts.join(', ')}`);
    }
    return { columns, allColumns };
  }

  // --- STATE / ACTIVATE_VERSION --------------------------------------------------------------------------------

  private async onState(msg: Record<string, unknown>, where: string): Promise<void> {
    if (!('value' in msg)) {
      this.log(`WARN ${where}: STATE without a "value"; ignored`);
      return;
    }
    this.latestState = { value: msg['value'], text: JSON.stringify(msg['value']) ?? 'null' };
    // With nothing buffered the state is emitted at once. Otherwise it is emitted after the flush that commits the
    // records before it: right now if the last flush is stateIntervalMs old, else at the next batch flush, STATE,
    // SCHEMA change, ACTIVATE_VERSION or the end of the input. (A tap that sends STATE every page would otherwise
    // cost a transaction per page.)
    if (this.pendingCount === 0 || Date.now() - this.lastFlushAt >= this.stateIntervalMs) await this.flush();
  }

  private async emitLatestState(): Promise<void> {
    const held = this.latestState;
    if (held === undefined || held.text === this.lastEmittedState) return;
    await this.emitState(held.value);
    this.lastEmittedState = held.text;
    this.statesEmitted++;
  }

  /**
   * ACTIVATE_VERSION: the tap has sent the whole table as `version`; rows of any older version (or none) are gone
   * from Kustomer. They are HARD-deleted whatever `hardDelete` says: a versioned stream is a full-table snapshot,
   * and keeping soft-deleted copies of every vanished row on every sync would grow the table without bound. Soft
   * deletes (`_sdc_deleted_at`) remain the tool for individual tombstones.
   */
  private async onActivateVersion(msg: Record<string, unknown>, where: string): Promise<void> {
    const stream = msg['stream'];
    const version = msg['version'];
    if (typeof stream !== 'string') throw new TargetInputError(`${where}: ACTIVATE_VERSION without a "stream"`);
    if (typeof version !== 'number' || !Number.isSafeInteger(version)) {
      throw new TargetInputError(`${where}: ACTIVATE_VERSION for stream "${stream}" has no integer "version"`);
    }
    await this.flush();
    const target = this.streams.get(stream);
    if (!target && (await this.describe(stream)) === null) {
      this.log(`WARN ${where}: ACTIVATE_VERSION for stream "${stream}", which has no table; ignored`);
      return;
    }
    const table = target?.table ?? qualified(this.catalog, this.schema, stream);
    let removed: number;
    try {
      const reader = await this.conn.runAndReadAll(
        `DELETE FROM ${table} WHERE _sdc_table_version IS NULL OR _sdc_table_version < $1`,
        [BigInt(version)],
      );
      removed = toNumber(reader.getRows()[0]?.[0]);
    } catch (e) {
      throw new TargetError(`ACTIVATE_VERSION on ${this.schema}.${stream} failed: ${errorMessage(e)}`, TargetExitCode.internal);
    }
    if (target) target.stats.versionDeleted += removed;
    if (removed > 0) this.log(`INFO ${this.schema}.${stream}: ACTIVATE_VERSION ${version} removed ${removed} older rows`);
  }

  // --- flushing ------------------------------------------------------------------------------------------------

  /** Commits every buffered record (all streams in one transaction), then emits the latest state if it is new:
   * every record received before it is now committed. */
  async flush(): Promise<void> {
    if (this.pendingCount > 0) {
      const parts: CommitPart[] = [];
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
    await this.emitLatestState();
  }

  private async commit(parts: CommitPart[]): Promise<void> {
    const deltas: FlushDelta[] = [];
    await this.conn.run('BEGIN TRANSACTION');
    try {
      for (const { target, entries } of parts) deltas.push(await this.flushStream(target, entries));
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      if (e instanceof TargetError) throw e;
      throw new TargetError(`writing to ${this.schema} failed: ${errorMessage(e)}`, TargetExitCode.internal);
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

  private async flushStream(target: StreamTarget, entries: Pending[]): Promise<FlushDelta> {
    const cols = target.columns;
    const n = cols.length;

    const stageDefs = [
      ...cols.map((_, i) => `c${i} VARCHAR`),
      '__tomb BOOLEAN',
      '__ins BOOLEAN',
      '__ext VARCHAR',
      '__rcv VARCHAR',
      '__del VARCHAR',
      '__ver BIGINT',
      '__seq BIGINT',
    ];
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(STAGE)} (${stageDefs.join(', ')})`);
    const appender = await this.conn.createAppender(STAGE, 'main', 'temp');
    let tombs = 0;
    let live = 0;
    try {
      for (const p of entries) {
        const r = p.rec;
        for (let i = 0; i < n; i++) {
          const c = cols[i] as DataColumn;
          const v = r[c.prop];
          const s = c.json ? toJsonText(v) : toText(v);
          if (s === null) appender.appendNull();
          else appender.appendVarchar(s);
        }
        appender.appendBoolean(p.tomb);
        appender.appendBoolean(p.insert);
        if (p.extractedAt === null) appender.appendNull();
        else appender.appendVarchar(p.extractedAt);
        appender.appendVarchar(p.receivedAt);
        if (p.deletedAt === null) appender.appendNull();
        else appender.appendVarchar(p.deletedAt);
        if (p.version === null) appender.appendNull();
        else appender.appendBigInt(BigInt(p.version));
        appender.appendBigInt(BigInt(p.seq));
        appender.endRow();
        if (p.tomb) tombs++;
        else live++;
      }
    } finally {
      appender.closeSync();
    }

    await this.checkCasts(target);

    // The batch with every value cast to its column's type.
    await this.conn.run(
      `CREATE OR REPLACE TEMP TABLE ${ident(TYPED)} AS SELECT ` +
        `${cols.map((c, i) => `${castExpr(`c${i}`, c.type)} AS c${i}`).join(', ')}${n ? ', ' : ''}` +
        `__tomb, __ins, CAST(__ext AS TIMESTAMPTZ) AS __ext, CAST(__rcv AS TIMESTAMPTZ) AS __rcv, ` +
        `CAST(__del AS TIMESTAMPTZ) AS __del, __ver, __seq FROM ${tempTable(STAGE)}`,
    );
    const typed = tempTable(TYPED);
    const insertCols = [...cols.map((c) => ident(c.column)), ...META_COLUMNS.map((m) => ident(m.name))].join(', ');
    const insertVals = [...cols.map((_, i) => `s.c${i}`), 's.__ext', 's.__rcv', 's.__del', 's.__ver', 's.__seq'].join(', ');

    if (target.keys.length === 0) {
      const where = this.hardDelete ? ' WHERE NOT s.__tomb' : '';
      await this.conn.run(`INSERT INTO ${target.table} (${insertCols}) SELECT ${insertVals} FROM ${typed} s${where}`);
      return {
        upserted: live,
        softDeleted: this.hardDelete ? 0 : tombs,
        hardDeleted: 0,
        tombstonesIgnored: this.hardDelete ? tombs : 0,
      };
    }

    // Keyed: DELETE every staged key, then INSERT the new rows. (DuckDB's UPDATE, and so MERGE and ON CONFLICT DO
    // UPDATE, costs hundreds of milliseconds per batch on a checkpointed table; delete+insert stays a few ms.)
    const keyCols = cols.map((c, i) => ({ c, i })).filter((x) => x.c.isKey);
    const on = (alias: string): string => keyCols.map(({ c, i }) => `${alias}.${ident(c.column)} = s.c${i}`).join(' AND ');
    let matchedTombs = 0;
    let insertedTombs = 0;
    let keepTombs = ' WHERE NOT s.__tomb';
    if (tombs > 0 && this.hardDelete) {
      matchedTombs = await this.count(
        `SELECT count(*) FROM ${typed} s WHERE s.__tomb AND EXISTS (SELECT 1 FROM ${target.table} t WHERE ${on('t')})`,
      );
    } else if (tombs > 0) {
      // Soft delete: the row stays with _sdc_deleted_at set and its last known values (a tombstone usually carries
      // only the key), including columns the current schema no longer has.
      const byLower = new Map(cols.map((c, i) => [c.column.toLowerCase(), { c, i }]));
      const exprs = target.allColumns.map((name) => {
        const q = ident(name);
        const data = byLower.get(name.toLowerCase());
        let e: string;
        if (data) e = data.c.isKey ? `t.${q}` : `COALESCE(s.c${data.i}, t.${q})`;
        else {
          switch (name.toLowerCase()) {
            case '_sdc_extracted_at':
              e = `COALESCE(s.__ext, t.${q})`;
              break;
            case '_sdc_received_at':
              e = 's.__rcv';
              break;
            case '_sdc_deleted_at':
              e = 's.__del';
              break;
            case '_sdc_table_version':
              e = `COALESCE(s.__ver, t.${q})`;
              break;
            case '_sdc_sequence':
              e = 's.__seq';
              break;
            default:
              e = `t.${q}`;
          }
        }
        return `${e} AS ${q}`;
      });
      await this.conn.run(
        `CREATE OR REPLACE TEMP TABLE ${ident(TOMBS)} AS SELECT ${exprs.join(', ')} FROM ${typed} s JOIN ${target.table} t ON ${on('t')} WHERE s.__tomb`,
      );
      matchedTombs = await this.count(`SELECT count(*) FROM ${tempTable(TOMBS)}`);
      const notMatched = `NOT EXISTS (SELECT 1 FROM ${tempTable(TOMBS)} r WHERE ${on('r')})`;
      insertedTombs = await this.count(`SELECT count(*) FROM ${typed} s WHERE s.__tomb AND s.__ins AND ${notMatched}`);
      keepTombs = insertedTombs > 0 ? ` WHERE NOT s.__tomb OR (s.__ins AND ${notMatched})` : keepTombs;
    }
    await this.conn.run(`DELETE FROM ${target.table} AS t USING ${typed} s WHERE ${on('t')}`);
    await this.conn.run(`INSERT INTO ${target.table} (${insertCols}) SELECT ${insertVals} FROM ${typed} s${keepTombs}`);
    if (matchedTombs > 0 && !this.hardDelete) {
      const all = target.allColumns.map(ident).join(', ');
      await this.conn.run(`INSERT INTO ${target.table} (${all}) SELECT ${all} FROM ${tempTable(TOMBS)}`);
    }
    return {
      upserted: live,
      softDeleted: this.hardDelete ? 0 : matchedTombs + insertedTombs,
      hardDeleted: this.hardDelete ? matchedTombs : 0,
      tombstonesIgnored: tombs - matchedTombs - insertedTombs,
    };
  }

  private async count(sql: string): Promise<number> {
    return toNumber((await this.conn.runAndReadAll(sql)).getRows()[0]?.[0]);
  }

  /** Fails with the column and value when a staged value cannot be cast to its column's type (a record that does
   * not match its schema), instead of DuckDB's message that names neither. */
  private async checkCasts(target: StreamTarget): Promise<void> {
    const checks: { label: string; expr: string; type: string }[] = [];
    target.columns.forEach((c, i) => {
      if (c.type !== 'VARCHAR' && c.type !== 'JSON') checks.push({ label: c.prop, expr: `c${i}`, type: c.type });
    });
    checks.push({ label: 'time_extracted', expr: '__ext', type: 'TIMESTAMPTZ' });
    checks.push({ label: '_sdc_deleted_at', expr: '__del', type: 'TIMESTAMPTZ' });
    const sql = `SELECT ${checks
      .map((k) => `min(CASE WHEN ${k.expr} IS NOT NULL AND TRY_CAST(${k.expr} AS ${k.type}) IS NULL THEN ${k.expr} END)`)
      .join(', ')} FROM ${tempTable(STAGE)}`;
    const row = (await this.conn.runAndReadAll(sql)).getRows()[0] ?? [];
    checks.forEach((k, i) => {
      const bad = row[i];
      if (bad !== null && bad !== undefined) {
        throw new TargetInputError(
          `stream "${target.stream}": value ${short(JSON.stringify(String(bad)))} of "${k.label}" does not fit column type ${k.type}`,
        );
      }
    });
  }

  // --- end -----------------------------------------------------------------------------------------------------

  /** End of input: commits everything and emits the latest state if it was not emitted yet. */
  async finish(): Promise<void> {
    await this.flush();
  }

  summary(): TargetSummary {
    return {
      streams: [...this.streams.values()].map((s) => ({ ...s.stats })),
      records: this.records,
      statesEmitted: this.statesEmitted,
      elapsedMs: Date.now() - this.started,
    };
  }

  /** Rows in a stream's table, as seen between flushes (i.e. committed rows). */
  async countRows(stream: string): Promise<number> {
    const r = (await this.conn.runAndReadAll(`SELECT count(*) FROM ${qualified(this.catalog, this.schema, stream)}`)).getRows()[0];
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

// ---------------------------------------------------------------------------------------------------------------
// Streams in, state out

/** Splits a byte or string stream into lines (without `\n` / `\r\n`). */
async function* readLines(input: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield text.slice(start, end);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest.length) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

function abortError(signal: AbortSignal): TargetError {
  const reason: unknown = signal.reason;
  if (reason instanceof TargetError) return reason;
  return new TargetAbortedError('stopped', TargetExitCode.terminated);
}

/** Writes one line and resolves once it is handed to the destination; rejects on EPIPE and other errors. */
function writeLine(output: Writable, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (output.destroyed || output.writableEnded) {
      reject(new TargetAbortedError('stdout is closed; the state can no longer be reported', TargetExitCode.brokenPipe));
      return;
    }
    output.write(line, (err) => {
      if (err) reject(err);
      else resolve();
    });
  });
}

function isBrokenPipe(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}

/**
 * Runs the target: Singer messages from `input` (one JSON object per line), state values to `output` (one JSON line
 * each, nothing else). Resolves with the summary; rejects with a TargetError whose exitCode says why.
 */
export async function runTarget(input: Readable, output: Writable, opts: RunTargetOptions): Promise<TargetSummary> {
  const log = opts.log ?? defaultLog;
  const internal = new AbortController();
  const onOutputError = (err: unknown): void => {
    internal.abort(
      isBrokenPipe(err)
        ? new TargetAbortedError('stdout was closed (EPIPE); stopping', TargetExitCode.brokenPipe)
        : new TargetError(`cannot write to stdout: ${errorMessage(err)}`, TargetExitCode.internal),
    );
  };
  output.on('error', onOutputError);
  const onExternalAbort = (): void => {
    if (opts.signal) internal.abort(opts.signal.reason);
  };
  if (opts.signal?.aborted) onExternalAbort();
  opts.signal?.addEventListener('abort', onExternalAbort, { once: true });
  const signal = internal.signal;
  const onAbort = (): void => {
    // Stop reading at once; the for-await below then ends with an error.
    input.destroy();
  };
  signal.addEventListener('abort', onAbort, { once: true });

  let loader: DuckDbLoader | undefined;
  let ok = false;
  try {
    if (signal.aborted) throw abortError(signal);
    loader = await DuckDbLoader.open({
      ...opts,
      log,
      emitState: async (value) => {
        if (signal.aborted) throw abortError(signal);
        try {
          await writeLine(output, (JSON.stringify(value) ?? 'null') + '\n');
        } catch (e) {
          if (e instanceof TargetError) throw e;
          if (isBrokenPipe(e)) throw new TargetAbortedError('stdout was closed (EPIPE); stopping', TargetExitCode.brokenPipe);
          throw new TargetError(`cannot write state to stdout: ${errorMessage(e)}`, TargetExitCode.internal);
        }
      },
    });
    let lineNo = 0;
    try {
      for await (const line of readLines(input)) {
        lineNo++;
        if (signal.aborted) throw abortError(signal);
        if (line.trim() === '') continue;
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          throw new TargetInputError(`line ${lineNo}: not a JSON object: ${short(line, 80)}`);
        }
        await loader.handle(message, `line ${lineNo}`);
        if (signal.aborted) throw abortError(signal);
      }
    } catch (e) {
      if (signal.aborted && !(e instanceof TargetInputError)) throw abortError(signal);
      throw e;
    }
    if (signal.aborted) throw abortError(signal);
    await loader.finish();
    ok = true;
    await loader.logSummary();
    return loader.summary();
  } finally {
    if (loader) {
      if (!ok && loader.summary().records > 0) await loader.logSummary(true).catch(() => undefined);
      loader.close();
    }
    output.off('error', onOutputError);
    opts.signal?.removeEventListener('abort', onExternalAbort);
    signal.removeEventListener('abort', onAbort);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading back (demo and tests)

async function withReadOnly<T>(databasePath: string, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(databasePath, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    try {
      await conn.run(`SET TimeZone = 'UTC'`);
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** The key_properties recorded in the table comment, else the PRIMARY KEY columns, else []. */
async function keyOfTable(conn: DuckDBConnection, schema: string, table: string): Promise<string[]> {
  const comment = (
    await conn.runAndReadAll(
      `SELECT comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = $1 AND table_name = $2`,
      [schema, table],
    )
  ).getRows()[0]?.[0];
  if (typeof comment === 'string' && comment.startsWith('{')) {
    try {
      const keys = (JSON.parse(comment) as { key_properties?: unknown }).key_properties;
      if (Array.isArray(keys) && keys.every((k): k is string => typeof k === 'string')) return keys;
    } catch {
      // not ours
    }
  }
  const pk = (
    await conn.runAndReadAll(
      `SELECT constraint_column_names FROM duckdb_constraints()
       WHERE database_name = current_database() AND schema_name = $1 AND table_name = $2 AND constraint_type = 'PRIMARY KEY'`,
      [schema, table],
    )
  ).getRowsJS()[0]?.[0];
  return Array.isArray(pk) ? pk.map((k) => String(k)) : [];
}

/** Row count and soft-deleted count of every table in `schema`. */
export async function tableCounts(databasePath: string, schema = DEFAULT_SCHEMA): Promise<Record<string, TableCount>> {
  return withReadOnly(databasePath, async (conn) => {
    const tables = (
      await conn.runAndReadAll(
        `SELECT t.table_name, bool_or(c.column_name = '_sdc_deleted_at')
         FROM information_schema.tables t JOIN information_schema.columns c
           ON c.table_catalog = t.table_catalog AND c.table_schema = t.table_schema AND c.table_name = t.table_name
         WHERE t.table_catalog = current_database() AND t.table_schema = $1 AND t.table_type = 'BASE TABLE'
         GROUP BY t.table_name ORDER BY t.table_name`,
        [schema],
      )
    ).getRows();
    const out: Record<string, TableCount> = {};
    for (const [name, hasDeleted] of tables) {
      const table = String(name);
      const deletedExpr = hasDeleted ? 'count(_sdc_deleted_at)' : '0';
      const row = (await conn.runAndReadAll(`SELECT count(*), ${deletedExpr} FROM ${qualified(await currentCatalog(conn), schema, table)}`)).getRows()[0] ?? [];
      out[table] = { rows: toNumber(row[0]), deleted: toNumber(row[1]) };
    }
    return out;
  });
}

/** A timestamp as RFC3339 UTC: milliseconds when the value has no finer part (matches Date#toISOString), else
 * microseconds. */
export function timestampToIso(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const iso = new Date(Number(ms)).toISOString();
  const sub = ((micros % 1000n) + 1000n) % 1000n;
  return sub === 0n ? iso : iso.replace(/\.(\d{3})Z$/, (_, m: string) => `.${m}${sub.toString().padStart(3, '0')}Z`);
}

function normaliseValue(v: DuckDBValue, json: boolean): unknown {
  if (v === null) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'string') return json ? (JSON.parse(v) as unknown) : v;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof DuckDBTimestampTZValue) return timestampToIso(v.micros);
  return String(v);
}

/** The columns of `<schema>.<table>` with their DuckDB types (`TIMESTAMP WITH TIME ZONE` reported as TIMESTAMPTZ). */
export async function tableColumns(
  databasePath: string,
  table: string,
  schema = DEFAULT_SCHEMA,
): Promise<{ name: string; type: string }[]> {
  return withReadOnly(databasePath, async (conn) => (await columnsOf(conn, schema, table)).map((r) => ({ name: String(r[0]), type: normaliseDbType(String(r[1])) })));
}

/** `[column_name, data_type]` rows of a table, in column order. */
async function columnsOf(conn: DuckDBConnection, schema: string, table: string) {
  return (
    await conn.runAndReadAll(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_catalog = current_database() AND table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schema, table],
    )
  ).getRows();
}

/**
 * Every row of `<schema>.<table>` as plain objects: BIGINT as number (string beyond 2^53), TIMESTAMPTZ as RFC3339
 * UTC text, JSON columns parsed. Ordered by the table's key (see ensureTable) when it has one.
 */
export async function readTable(
  databasePath: string,
  table: string,
  schema = DEFAULT_SCHEMA,
): Promise<Record<string, unknown>[]> {
  return withReadOnly(databasePath, async (conn) => {
    const cols = await columnsOf(conn, schema, table);
    if (cols.length === 0) throw new Error(`no table ${schema}.${table}`);
    const jsonCols = new Set(cols.filter((c) => String(c[1]).toUpperCase() === 'JSON').map((c) => String(c[0])));
    const key = await keyOfTable(conn, schema, table);
    const order = key.length ? ` ORDER BY ${key.map(ident).join(', ')}` : '';
    const rows = (await conn.runAndReadAll(`SELECT * FROM ${qualified(await currentCatalog(conn), schema, table)}${order}`)).getRowObjects();
    return rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) out[k] = normaliseValue(v, jsonCols.has(k));
      return out;
    });
  });
}
