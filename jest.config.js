// Jest in native ESM mode (NestJS 12 is ESM-only); see README "Tests".
export const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
        },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
  },
};

/**
 * The specs that also run on the PostgreSQL transport (REDIS_URL unset) in every `npm test`:
 * the pipeline, events, live streams, thread cache, recovery, edge and health. The whole suite
 * runs on it with `TRANSPORT=postgres npm test` (then this second project is not needed).
 */
const POSTGRES_SPECS = [
  'test/e2e/pipeline',
  'test/e2e/events',
  'test/e2e/events-sse',
  'test/e2e/events-relay',
  'test/e2e/moderation-stream',
  'test/e2e/thread-cache',
  'test/e2e/recovery',
  'test/e2e/edge',
  'test/e2e/operations',
];

const wholeSuiteOnPostgres = process.env.TRANSPORT === 'postgres';

export default {
  projects: [
    {
      ...base,
      displayName: 'default',
      testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
    },
    ...(wholeSuiteOnPostgres
      ? []
      : [
          {
            ...base,
            displayName: 'postgres',
            testRegex: `/(${POSTGRES_SPECS.join('|')})\\.(int|e2e)-spec\\.ts$`,
            setupFiles: ['<rootDir>/test/utils/transport-postgres.ts'],
          },
        ]),
  ],
  globalSetup: '<rootDir>/test/utils/global-setup.ts',
  globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
  testTimeout: 30000,
  // A worker whose heap grew past this after a file is replaced (suites with many apps leak a
  // little each: the whole suite in one worker once ran out of heap).
  workerIdleMemoryLimit: '1536MB',
};
