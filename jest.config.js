/** Tests run the TypeScript sources through ts-jest (transpile only; `npm run typecheck` and the build type-check),
 * and spawn the built CLI from dist/ where a real process is the thing under test. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
  maxWorkers: 2,
};
