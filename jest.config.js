/** Tests run the TypeScript sources through ts-jest (transpile only; `npm run typecheck` and the build type-check),
 * and spawn the built CLI from dist/ where a real process is the thing under test. */
module.exports = {
  testEnvironment: 'node',
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
  // A green run prints one line per file and the summary; console output only from files that failed.
  reporters: ['<rootDir>/test/quiet-reporter.js', 'summary'],
  // A per-run log of every tap run's output, checked for API keys at the end (test/global-teardown.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
