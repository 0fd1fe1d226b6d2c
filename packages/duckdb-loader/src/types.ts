/**
 * Types shared by the DuckDB target (`tap-kustomer-duckdb`): options, errors with their exit codes, and the
 * per-stream load summary.
 */

/** The target shares the tap's exit codes and error classes (@tap-kustomer/singer-io): one vocabulary for every
 * executable of the project. */
export { ExitCode as TargetExitCode, TapError as TargetError, InputError as TargetInputError } from '@tap-kustomer/singer-io';
import { TapError, type ExitCode } from '@tap-kustomer/singer-io';

/** The run was stopped from outside (SIGTERM, SIGINT, EPIPE on stdout). */
export class TargetAbortedError extends TapError {
  constructor(message: string, exitCode: ExitCode) {
    super(message, exitCode);
    this.name = 'TargetAbortedError';
  }
}

/** Column types the target creates. A column created by something else keeps its own type name. */
export type ColumnType = 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMPTZ' | 'JSON';

export interface LoaderOptions {
  /** DuckDB database file (created, with its directory, when missing). `:memory:` works too. */
  database: string;
  /** DuckDB schema the tables go into. Default `kustomer`. */
  schema?: string;
  /** Delete rows whose record carries `_sdc_deleted_at` instead of keeping them soft-deleted. Default false. */
  hardDelete?: boolean;
  /** Records buffered (after last-wins de-duplication by key) before a flush. Default 10,000. */
  batchSize?: number;
  /** A STATE that arrives while records are buffered is emitted after the flush that commits them: at once when the
   * last flush is at least this old, else with the next flush (batch full, next due STATE, SCHEMA change,
   * ACTIVATE_VERSION, end of input). 0 flushes on every STATE. Default 1000 ms. */
  stateIntervalMs?: number;
  /** One log line for stderr (no trailing newline). Default: process.stderr. */
  log?: (line: string) => void;
  /** Called with each STATE value once every record received before it is committed. Default: drop. */
  emitState?: (value: unknown) => Promise<void> | void;
}

export interface RunTargetOptions extends Omit<LoaderOptions, 'emitState'> {
  /** Aborting stops reading at once; nothing uncommitted is written and no further state is emitted. The abort
   * reason, when it is a TargetError, is what runTarget rejects with. */
  signal?: AbortSignal;
}

export interface StreamStats {
  stream: string;
  /** Qualified table name, e.g. `kustomer.conversations`. */
  table: string;
  /** RECORD messages received. */
  received: number;
  /** Live records written (inserted or updated), after last-wins de-duplication within each batch. */
  upserted: number;
  /** Rows marked deleted (`_sdc_deleted_at` set) by a tombstone, soft-delete mode. */
  softDeleted: number;
  /** Rows removed by a tombstone, hard-delete mode. */
  hardDeleted: number;
  /** Tombstones whose key had no row: nothing was written for them. */
  tombstonesIgnored: number;
  /** Rows removed by ACTIVATE_VERSION (older table version). */
  versionDeleted: number;
}

export interface TargetSummary {
  streams: StreamStats[];
  records: number;
  statesEmitted: number;
  elapsedMs: number;
}

export interface TableCount {
  /** All rows, soft-deleted ones included. */
  rows: number;
  /** Rows with `_sdc_deleted_at` set (0 when the table has no such column). */
  deleted: number;
}
