/** The loader's defaults (the CLI's help text and the README name them). */
export const DEFAULT_SCHEMA = 'kustomer';
export const DEFAULT_BATCH_SIZE = 10_000;
export const DEFAULT_STATE_INTERVAL_MS = 1_000;

/** Where the loader's log lines go unless the caller passes its own `log`. */
export function defaultLog(line: string): void {
  process.stderr.write(line + '\n');
}
