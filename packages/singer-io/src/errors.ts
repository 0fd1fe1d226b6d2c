/**
 * Every way the tap and the targets (target-kustomer, tap-kustomer-duckdb) can stop, with its exit code: one
 * vocabulary for every executable of the project. The codes are documented in the README; scripts and orchestrators
 * rely on them, so they never change meaning.
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  /** Bad config, catalog, state or command line: fix the input and run again. */
  badInput: 2,
  /** The API key was refused (401): bad, expired or revoked key, or the wrong region. */
  auth: 3,
  /** Some streams failed (403 missing role, retries exhausted) while the others completed. */
  partial: 4,
  /** Kustomer could not be reached or kept failing after every retry. */
  unavailable: 5,
  /** The target closed our stdout (EPIPE). */
  brokenPipe: 141,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error whose message is fit to show a user as the one line they see. */
export class TapError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'TapError';
  }
}

export class InputError extends TapError {
  constructor(message: string) {
    super(message, ExitCode.badInput);
    this.name = 'InputError';
  }
}
