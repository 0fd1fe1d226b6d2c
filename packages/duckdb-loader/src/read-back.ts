/**
 * Reading a loaded database back, read-only (the demo and the tests): row counts, columns and rows of a table, with
 * values as the records had them.
 */
import { DuckDBInstance, DuckDBTimestampTZValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { normaliseDbType } from './column-types';
import { DEFAULT_SCHEMA } from './defaults';
import { currentCatalog, ident, qualified, toNumber } from './sql';
import type { TableCount } from './types';

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
