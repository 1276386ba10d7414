// Mutation testing of the pure filter modules (`npm run test:mutation`; in CI, .ci/run).
// Jest runs in native ESM mode, hence the Node flag; only the modules' own unit tests run
// (jest.mutation.config.js), so a run takes a few minutes, not the whole suite's time.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  mutate: [
    'src/moderation/phases/*.phase.ts',
    'src/moderation/moderation.pipeline.ts',
    'src/spam/spam-signals.ts',
    'src/spam/classifier/feature.extractor.ts',
    'src/spam/classifier/source-links.ts',
    'src/common/text/word-list.ts',
    'src/common/pagination/cursor.ts',
    'src/toxicity/classifier/toxicity.features.ts',
  ],
  ignoreStatic: true,
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 5000,
  // Results of unchanged code and tests are reused from the last run (reports/stryker-incremental.json).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
