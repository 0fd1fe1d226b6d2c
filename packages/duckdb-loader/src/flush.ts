/**
 * Writing one stream's batch, inside the flush's transaction: the batch is appended to a temporary all-VARCHAR
 * staging table, checked (a value that does not fit its column is an input error naming the column), cast once, then
 * written with one DELETE of the batch's keys plus one INSERT (keyed) or one INSERT (append-only). Tombstones
 * soft-delete (the row keeps its last known values and gets `_sdc_deleted_at`) or, with hardDelete, delete.
 */
import { castExpr, META_COLUMNS } from './column-types';
import { short } from '@tap-kustomer/singer-io';
import type { DataColumn, Db, FlushDelta, Pending, StreamTarget } from './model';
import { ident, toNumber } from './sql';
import { TargetInputError } from './types';
import { toJsonText, toText } from './values';

/** Temporary tables of a flush (connection-local). */
const STAGE = '__tap_kustomer_duckdb_stage';
const TYPED = '__tap_kustomer_duckdb_typed';
const TOMBS = '__tap_kustomer_duckdb_tombs';
const tempTable = (name: string): string => `temp.main.${ident(name)}`;

async function count(db: Db, sql: string): Promise<number> {
  return toNumber((await db.conn.runAndReadAll(sql)).getRows()[0]?.[0]);
}

/** Appends the batch to the staging table, every value as text. Returns how many are tombstones and live. */
async function stage(db: Db, cols: DataColumn[], entries: Pending[]): Promise<{ tombs: number; live: number }> {
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
  await db.conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(STAGE)} (${stageDefs.join(', ')})`);
  const appender = await db.conn.createAppender(STAGE, 'main', 'temp');
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
  return { tombs, live };
}

/** Fails with the column and value when a staged value cannot be cast to its column's type (a record that does
 * not match its schema), instead of DuckDB's message that names neither. */
async function checkCasts(db: Db, target: StreamTarget): Promise<void> {
  const checks: { label: string; expr: string; type: string }[] = [];
  target.columns.forEach((c, i) => {
    if (c.type !== 'VARCHAR' && c.type !== 'JSON') checks.push({ label: c.prop, expr: `c${i}`, type: c.type });
  });
  checks.push({ label: 'time_extracted', expr: '__ext', type: 'TIMESTAMPTZ' });
  checks.push({ label: '_sdc_deleted_at', expr: '__del', type: 'TIMESTAMPTZ' });
  const sql = `SELECT ${checks
    .map((k) => `min(CASE WHEN ${k.expr} IS NOT NULL AND TRY_CAST(${k.expr} AS ${k.type}) IS NULL THEN ${k.expr} END)`)
    .join(', ')} FROM ${tempTable(STAGE)}`;
  const row = (await db.conn.runAndReadAll(sql)).getRows()[0] ?? [];
  checks.forEach((k, i) => {
    const bad = row[i];
    if (bad !== null && bad !== undefined) {
      throw new TargetInputError(
        `stream "${target.stream}": value ${short(JSON.stringify(String(bad)))} of "${k.label}" does not fit column type ${k.type}`,
      );
    }
  });
}

/** The soft-delete row of a matched tombstone, column by column: its last known values (a tombstone usually carries
 * only the key), including columns the current schema no longer has, with the tombstone's metadata. */
function softDeleteColumns(target: StreamTarget): string[] {
  const byLower = new Map(target.columns.map((c, i) => [c.column.toLowerCase(), { c, i }]));
  return target.allColumns.map((name) => {
    const q = ident(name);
    const data = byLower.get(name.toLowerCase());
    const meta = META_COLUMNS.find((m) => m.name === name.toLowerCase());
    let e: string;
    if (data) e = data.c.isKey ? `t.${q}` : `COALESCE(s.c${data.i}, t.${q})`;
    else if (meta) e = meta.keepOld ? `COALESCE(s.${meta.stage}, t.${q})` : `s.${meta.stage}`;
    else e = `t.${q}`;
    return `${e} AS ${q}`;
  });
}

/** Writes one stream's buffered records; the caller owns the transaction. */
export async function flushStream(db: Db, target: StreamTarget, entries: Pending[], hardDelete: boolean): Promise<FlushDelta> {
  const cols = target.columns;
  const n = cols.length;
  const { tombs, live } = await stage(db, cols, entries);
  await checkCasts(db, target);

  // The batch with every value cast to its column's type.
  await db.conn.run(
    `CREATE OR REPLACE TEMP TABLE ${ident(TYPED)} AS SELECT ` +
      `${cols.map((c, i) => `${castExpr(`c${i}`, c.type)} AS c${i}`).join(', ')}${n ? ', ' : ''}` +
      `__tomb, __ins, ${META_COLUMNS.map((m) => (m.type === 'TIMESTAMPTZ' ? `CAST(${m.stage} AS TIMESTAMPTZ) AS ${m.stage}` : m.stage)).join(', ')} ` +
      `FROM ${tempTable(STAGE)}`,
  );
  const typed = tempTable(TYPED);
  const insertCols = [...cols.map((c) => ident(c.column)), ...META_COLUMNS.map((m) => ident(m.name))].join(', ');
  const insertVals = [...cols.map((_, i) => `s.c${i}`), ...META_COLUMNS.map((m) => `s.${m.stage}`)].join(', ');

  if (target.keys.length === 0) {
    const where = hardDelete ? ' WHERE NOT s.__tomb' : '';
    await db.conn.run(`INSERT INTO ${target.table} (${insertCols}) SELECT ${insertVals} FROM ${typed} s${where}`);
    return {
      upserted: live,
      softDeleted: hardDelete ? 0 : tombs,
      hardDeleted: 0,
      tombstonesIgnored: hardDelete ? tombs : 0,
    };
  }

  // Keyed: DELETE every staged key, then INSERT the new rows. (DuckDB's UPDATE, and so MERGE and ON CONFLICT DO
  // UPDATE, costs hundreds of milliseconds per batch on a checkpointed table; delete+insert stays a few ms.)
  const keyCols = cols.map((c, i) => ({ c, i })).filter((x) => x.c.isKey);
  const on = (alias: string): string => keyCols.map(({ c, i }) => `${alias}.${ident(c.column)} = s.c${i}`).join(' AND ');
  let matchedTombs = 0;
  let insertedTombs = 0;
  let keepTombs = ' WHERE NOT s.__tomb';
  if (tombs > 0 && hardDelete) {
    matchedTombs = await count(db, `SELECT count(*) FROM ${typed} s WHERE s.__tomb AND EXISTS (SELECT 1 FROM ${target.table} t WHERE ${on('t')})`);
  } else if (tombs > 0) {
    await db.conn.run(
      `CREATE OR REPLACE TEMP TABLE ${ident(TOMBS)} AS SELECT ${softDeleteColumns(target).join(', ')} FROM ${typed} s JOIN ${target.table} t ON ${on('t')} WHERE s.__tomb`,
    );
    matchedTombs = await count(db, `SELECT count(*) FROM ${tempTable(TOMBS)}`);
    const notMatched = `NOT EXISTS (SELECT 1 FROM ${tempTable(TOMBS)} r WHERE ${on('r')})`;
    insertedTombs = await count(db, `SELECT count(*) FROM ${typed} s WHERE s.__tomb AND s.__ins AND ${notMatched}`);
    keepTombs = insertedTombs > 0 ? ` WHERE NOT s.__tomb OR (s.__ins AND ${notMatched})` : keepTombs;
  }
  await db.conn.run(`DELETE FROM ${target.table} AS t USING ${typed} s WHERE ${on('t')}`);
  await db.conn.run(`INSERT INTO ${target.table} (${insertCols}) SELECT ${insertVals} FROM ${typed} s${keepTombs}`);
  if (matchedTombs > 0 && !hardDelete) {
    const all = target.allColumns.map(ident).join(', ');
    await db.conn.run(`INSERT INTO ${target.table} (${all}) SELECT ${all} FROM ${tempTable(TOMBS)}`);
  }
  return {
    upserted: live,
    softDeleted: hardDelete ? 0 : matchedTombs + insertedTombs,
    hardDeleted: hardDelete ? matchedTombs : 0,
    tombstonesIgnored: tombs - matchedTombs - insertedTombs,
  };
}
