/** Tests run the TypeScript sources through ts-jest (transpile only; `npm run typecheck` and the build type-check),
 * and spawn the built CLI from dist/ where a real process is the thing under test. */
module.exports = {
  // Node's environment, and after each test file a check that it closed everything it opened (servers, sockets, child
  // processes, ref'd timers): a leak fails the file that leaked, on every run (test/leak-check-environment.js).
  testEnvironment: '<rootDir>/test/leak-check-environment.js',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // The workspace packages (packages/*) run from their sources too, whoever imports them by name.
  moduleNameMapper: {
    '^@tap-kustomer/singer-io$': '<rootDir>/packages/singer-io/src/index.ts',
    '^tap-kustomer-duckdb$': '<rootDir>/packages/duckdb-loader/src/index.ts',
  },
  // No test may depend on the machine's speed: this only stops a run that hangs. A busy 2-core machine can take
  // minutes for the SIGKILL suite, and that is not a failure.
  testTimeout: 30 * 60 * 1000,
  maxWorkers: 2,
  // At the end jest gives each worker 500 ms to exit, then kills it and prints "A worker process has failed to exit
  // gracefully … tests leaking due to improper teardown". With nothing left open (the check above), a worker's event
  // loop is empty within milliseconds of being told to end, but tearing down a process that has run every suite
  // (0.8-1.2 GB of heap) takes longer than 500 ms on a busy 2-core machine. Leaks are caught per file above; this only
  // lets a clean worker finish exiting.
  workerGracefulExitTimeout: 30_000,
  // A green run prints one line per file and the summary; console output only from files that failed.
  reporters: ['<rootDir>/test/quiet-reporter.js', 'summary'],
  // A per-run log of every tap run's output, checked for API keys at the end (test/global-teardown.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
