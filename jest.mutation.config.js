// Jest for mutation testing (StrykerJS, `npm run test:mutation`): only the pure filter
// modules' unit tests, no global setup (no PostgreSQL, no Redis), native ESM like jest.config.js.
import { base } from './jest.config.js';

export default {
  ...base,
  roots: ['<rootDir>/src'],
  testRegex: [
    'src/moderation/phases/.*\\.spec\\.ts$',
    'src/moderation/moderation\\.pipeline\\.spec\\.ts$',
    'src/spam/spam-signals(\\.boundaries)?\\.spec\\.ts$',
    'src/spam/classifier/feature\\.(extractor|markers)\\.spec\\.ts$',
    'src/spam/classifier/source-links\\.spec\\.ts$',
    'src/common/text/word-list(\\.boundaries)?\\.spec\\.ts$',
    'src/common/pagination/cursor(\\.boundaries)?\\.spec\\.ts$',
    'src/toxicity/classifier/toxicity\\.features\\.spec\\.ts$',
  ],
};
