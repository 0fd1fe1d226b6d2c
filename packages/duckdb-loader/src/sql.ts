/** SQL text helpers: quoting, fully qualified names, and reading one number back. */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

/** Quotes an identifier. DuckDB matches identifiers case-insensitively, even quoted. */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A SQL string literal. */
export function literal(text: string): string {
  return "'" + text.replace(/'/g, "''") + "'";
}

/**
 * Fully qualified `"database"."schema"."table"`: DuckDB names the database after its file, so `kustomer.duckdb`
 * holds a database named `kustomer`, and `"kustomer"."brands"` would be ambiguous with schema `kustomer`.
 */
export function qualified(catalog: string, schema: string, table: string): string {
  return `${ident(catalog)}.${ident(schema)}.${ident(table)}`;
}

export async function currentCatalog(conn: DuckDBConnection): Promise<string> {
  return String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0]?.[0] ?? 'memory');
}

/** A count or BIGINT as a JS number (0 when absent). */
export function toNumber(v: DuckDBValue | undefined): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  return 0;
}
