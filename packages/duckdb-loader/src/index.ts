/** tap-kustomer-duckdb as a library: run the target on streams, drive the loader message by message, read back. */
export { DEFAULT_BATCH_SIZE, DEFAULT_SCHEMA } from './defaults';
export { DuckDbLoader } from './loader';
export { readTable, tableColumns, tableCounts } from './read-back';
export { runTarget } from './run';
export { ident } from './sql';
export * from './types';
