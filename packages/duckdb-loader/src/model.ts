/** The loader's in-memory model: where it writes, each stream's table columns, and the records buffered for it. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StreamStats } from './types';

/** The database the loader writes to, and where its log lines go. */
export interface Db {
  conn: DuckDBConnection;
  /** DuckDB schema of the tables (`kustomer` by default). */
  schema: string;
  /** The database's own name (from its file name), for fully qualified table names. */
  catalog: string;
  log: (line: string) => void;
}

export interface DataColumn {
  /** Property name in the records. */
  prop: string;
  /** Column name in the table (the property name unless the table already has it with another case). */
  column: string;
  /** The column's actual type in the table (may be wider than the schema asks for). */
  type: string;
  json: boolean;
  isKey: boolean;
}

/** One buffered record, waiting for the next flush. */
export interface Pending {
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

export interface StreamTarget {
  stream: string;
  /** Fully qualified table name. */
  table: string;
  keys: string[];
  /** The schema's properties, as columns. */
  columns: DataColumn[];
  /** Every column of the table, in table order (may include columns of earlier schemas). */
  allColumns: string[];
  /** Field names the schema declares (plus the metadata columns): other fields are dropped with one warning. */
  known: Set<string>;
  warnedFields: Set<string>;
  /** The SCHEMA's columns and keys; an identical SCHEMA again changes nothing. */
  signature: string;
  /** Buffered records of a keyed stream, last one per key. */
  keyed: Map<string, Pending>;
  /** Buffered records of a stream without keys. */
  appendOnly: Pending[];
  stats: StreamStats;
}

/** What one flush did to one stream's table. */
export type FlushDelta = Pick<StreamStats, 'upserted' | 'softDeleted' | 'hardDeleted' | 'tombstonesIgnored'>;
