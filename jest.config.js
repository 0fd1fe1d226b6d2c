/** Tests run the TypeScript sources through ts-jest (transpile only; `npm run typecheck` and the build type-check),
 * and spawn the built CLI from dist/ where a real process is the thing under test. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
  maxWorkers: 2,
  // A per-run log of every tap run's output, checked for API keys at the end (test/global-teardown.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
