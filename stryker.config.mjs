// @ts-check
/**
 * Mutation testing of ws-core's delivery path (`npm run test:mutation`): the user stream, event
 * retention, the connection and the run supervisor. Only those files are mutated and only the
 * ws-core vitest project runs against each mutant, two at a time, so a run stays affordable on a
 * small machine. The score is recorded in packages/ws-core/README.md.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'packages/ws-core/vitest.config.ts', dir: 'packages/ws-core' },
  mutate: [
    'packages/ws-core/src/user-stream.ts',
    'packages/ws-core/src/retained-events.ts',
    'packages/ws-core/src/connection.ts',
    'packages/ws-core/src/run-supervisor.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // A hung mutant (a run that never ends) costs this much beyond the test's baseline time.
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['apps', 'bench', 'e2e', 'docs', '.ci-results', 'reports', '**/dist'],
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/ws-core.json' },
  thresholds: { high: 85, low: 75, break: null },
};

export default config;
