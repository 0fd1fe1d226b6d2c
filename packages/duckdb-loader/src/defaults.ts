/** The loader's defaults (the CLI's help text and the README name them). */
export const DEFAULT_SCHEMA = 'kustomer';
export const DEFAULT_BATCH_SIZE = 10_000;
export const DEFAULT_STATE_INTERVAL_MS = 1_000;
