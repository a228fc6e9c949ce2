/** @type {import('jest').Config} */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  modulePathIgnorePatterns: ['<rootDir>/.local/'],
};

module.exports = {
  testTimeout: 60_000,
  // Two test files at a time: they spend most of their time waiting on PostgreSQL, Temporal
  // and timers, so on the 2-core machine two workers take the suite from about 11 to about
  // 6 minutes. Each file has its own database; workflow ids and task queues are unique.
  maxWorkers: 2,
  // The longest files first (test/support/sequencer.js), also in a fresh clone with no cache.
  testSequencer: '<rootDir>/test/support/sequencer.js',
  projects: [
    {
      // Pure business rules, and the setup's tool downloads (test/setup): no services needed.
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/test/domain/**/*.test.ts',
        '<rootDir>/test/config/**/*.test.ts',
        '<rootDir>/test/setup/**/*.test.ts',
      ],
    },
    {
      // Real PostgreSQL, the time-skipping test server and the Temporal dev server, started
      // once for the run by the global setup and stopped by the teardown.
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [
        '<rootDir>/test/domain/',
        '<rootDir>/test/config/',
        '<rootDir>/test/setup/',
      ],
      setupFiles: [
        '<rootDir>/test/support/quiet-sdk.ts',
        '<rootDir>/test/support/prebuilt-workflows.ts',
      ],
      setupFilesAfterEnv: [
        '<rootDir>/test/support/database-per-file.ts',
        '<rootDir>/test/support/namespace-per-file.ts',
        '<rootDir>/test/support/contract-check.ts',
      ],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
