/**
 * Types shared by the DuckDB target (`tap-kustomer-duckdb`): options, errors with their exit codes, and the
 * per-stream load summary.
 */

/** Exit codes of `tap-kustomer-duckdb`. Same meanings as the tap's (see src/errors.ts), kept local so the target
 * has no dependency on the tap's internals. */
export const TargetExitCode = {
  ok: 0,
  /** A database error or a bug. */
  internal: 1,
  /** Bad command line, config, or Singer input (non-JSON line, RECORD before SCHEMA, value that does not fit). */
  badInput: 2,
  interrupted: 130,
  /** Our stdout was closed (EPIPE): the state could no longer be reported. */
  brokenPipe: 141,
  terminated: 143,
} as const;
export type TargetExitCode = (typeof TargetExitCode)[keyof typeof TargetExitCode];

/** An error whose message is the one line a user sees on stderr. */
export class TargetError extends Error {
  constructor(
    message: string,
    readonly exitCode: TargetExitCode,
  ) {
    super(message);
    this.name = 'TargetError';
  }
}

/** The input (or the command line / config) is wrong: exit code 2. */
export class TargetInputError extends TargetError {
  constructor(message: string) {
    super(message, TargetExitCode.badInput);
    this.name = 'TargetInputError';
  }
}

/** The run was stopped from outside (SIGTERM, SIGINT, EPIPE on stdout). */
export class TargetAbortedError extends TargetError {
  constructor(message: string, exitCode: TargetExitCode) {
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
