/**
 * A stream's table: created from the SCHEMA, or evolved to fit a new one (new properties become columns, a type that
 * no longer fits is widened, never refused). See ensureTable for why the key is not a DuckDB PRIMARY KEY.
 */
import { convertExpr, META_COLUMNS, normaliseDbType, widenType } from './column-types';
import type { DataColumn, Db } from './model';
import { ident, literal, qualified } from './sql';
import type { ColumnType } from './types';

/** A property of the SCHEMA with the column type it asks for. */
export interface WantedColumn {
  prop: string;
  type: ColumnType;
}

interface ExistingColumn {
  name: string;
  type: string;
}

/** The table's columns in order, or null when there is no such table. */
export async function describeTable(db: Db, stream: string): Promise<ExistingColumn[] | null> {
  const reader = await db.conn.runAndReadAll(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_catalog = current_database() AND table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [db.schema, stream],
  );
  const rows = reader.getRows();
  if (rows.length === 0) return null;
  return rows.map((r) => ({ name: String(r[0]), type: normaliseDbType(String(r[1])) }));
}

/** The PRIMARY KEY columns of a table something else made (the loader never declares one). */
async function primaryKey(db: Db, stream: string): Promise<string[]> {
  const reader = await db.conn.runAndReadAll(
    `SELECT constraint_column_names FROM duckdb_constraints()
     WHERE database_name = current_database() AND schema_name = $1 AND table_name = $2 AND constraint_type = 'PRIMARY KEY'`,
    [db.schema, stream],
  );
  const rows = reader.getRowsJS();
  const names = rows[0]?.[0];
  return Array.isArray(names) ? names.map((n) => String(n)) : [];
}

async function inTransaction(db: Db, work: () => Promise<void>): Promise<void> {
  await db.conn.run('BEGIN TRANSACTION');
  try {
    await work();
    await db.conn.run('COMMIT');
  } catch (e) {
    await db.conn.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
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
export async function ensureTable(
  db: Db,
  stream: string,
  table: string,
  wanted: WantedColumn[],
  keys: string[],
): Promise<{ columns: DataColumn[]; allColumns: string[] }> {
  const keySet = new Set(keys.map((k) => k.toLowerCase()));
  const existing = await describeTable(db, stream);
  const comment = `COMMENT ON TABLE ${table} IS ${literal(JSON.stringify({ key_properties: keys }))}`;

  if (existing === null) {
    const defs = [
      ...wanted.map((w) => `${ident(w.prop)} ${w.type}`),
      ...META_COLUMNS.map((m) => `${ident(m.name)} ${m.type}`),
    ];
    await inTransaction(db, async () => {
      await db.conn.run(`CREATE TABLE ${table} (${defs.join(', ')})`);
      await db.conn.run(comment);
    });
    db.log(`INFO created table ${db.schema}.${stream}${keys.length ? ` (key ${keys.join(', ')})` : ' (append-only)'}`);
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

  const pk = (await primaryKey(db, stream)).map((k) => k.toLowerCase());
  const pkConflict = pk.length > 0 && pk.join('\u0000') !== keys.map((k) => k.toLowerCase()).join('\u0000');
  const pkAltered = alters.some((a) => pk.includes(a.name.toLowerCase()));

  await inTransaction(db, async () => {
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
      const tmp = qualified(db.catalog, db.schema, `${stream}__rebuild`);
      db.log(
        `WARN rebuilding table ${db.schema}.${stream} without its PRIMARY KEY (${pk.join(', ')}): ` +
          (pkConflict ? `the stream's key is now (${keys.join(', ') || 'none'})` : 'a key column must be widened'),
      );
      await db.conn.run(`DROP TABLE IF EXISTS ${tmp}`);
      await db.conn.run(`CREATE TABLE ${tmp} (${defs.join(', ')})`);
      await db.conn.run(`INSERT INTO ${tmp} (${existing.map((c) => ident(c.name)).join(', ')}) SELECT ${select.join(', ')} FROM ${table}`);
      await db.conn.run(`DROP TABLE ${table}`);
      await db.conn.run(`ALTER TABLE ${tmp} RENAME TO ${ident(stream)}`);
    } else {
      for (const a of adds) await db.conn.run(`ALTER TABLE ${table} ADD COLUMN ${ident(a.name)} ${a.type}`);
      for (const a of alters) {
        await db.conn.run(`ALTER TABLE ${table} ALTER COLUMN ${ident(a.name)} SET DATA TYPE ${a.to} USING ${convertExpr(ident(a.name), a.from, a.to)}`);
      }
    }
    await db.conn.run(comment);
  });
  if (adds.length || alters.length) {
    const parts = [...adds.map((a) => `+${a.name} ${a.type}`), ...alters.map((a) => `${a.name} ${a.from}->${a.to}`)];
    db.log(`INFO evolved table ${db.schema}.${stream}: ${parts.join(', ')}`);
  }
  return { columns, allColumns };
}
