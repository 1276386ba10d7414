/**
 * The method comparison of docs/moderation-quality.md: each candidate's stratified 5-fold
 * cross-validation on the training data, threshold chosen out of fold with at most 5 % of
 * clean rows held, exactly as `toxicity:train` does for the shipped settings (the everyday
 * clean text of `data/spam/` in every fold's training set, only the file's rows scored).
 *
 *   npm run toxicity:compare [-- --data FILE.csv]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_TOXICITY_TRAINING_CONFIG,
  trainToxicityModel,
  type ToxicityTrainingConfig,
} from '../../src/toxicity/classifier/toxicity-model.trainer.js';
import { TOXICITY_DATA_DIR } from '../../src/toxicity/model/toxicity-model.loader.js';
import { readToxicityCsv } from '../../src/toxicity/cli/toxicity-csv.reader.js';
import { readCleanTextSources } from '../../src/toxicity/cli/toxicity-sources.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: join(TOXICITY_DATA_DIR, 'davidson_hate_offensive_dev.csv') },
  },
});

const base = DEFAULT_TOXICITY_TRAINING_CONFIG;
const variant = (
  softmax: Partial<ToxicityTrainingConfig['softmax']>,
  features: Partial<ToxicityTrainingConfig['features']> = {},
  rest: Partial<ToxicityTrainingConfig> = {},
): ToxicityTrainingConfig => ({
  ...base,
  ...rest,
  softmax: { ...base.softmax, ...softmax },
  features: { ...base.features, ...features },
});
const wide = { wordBigrams: true, charMin: 2 };

/** `true`: trained with the everyday clean text as the shipped model is. */
const CANDIDATES: [string, ToxicityTrainingConfig, boolean?][] = [
  ['no everyday clean text (the model before)', base, false],
  ['everyday clean text, weight 1', variant({}, {}, { auxiliaryWeight: 1 })],
  ['everyday clean text, weight 3', variant({}, {}, { auxiliaryWeight: 3 })],
  ['everyday clean text, weight 10', variant({}, {}, { auxiliaryWeight: 10 })],
  ['words only (unigrams), LR step 0.03', variant({}, { charMin: 0 })],
  ['words + bigrams + chars 2-5, LR step 0.3', variant({ learningRate: 0.3, epochs: 8 }, wide)],
  ['words + bigrams + chars 2-5, LR step 0.05', variant({ learningRate: 0.05, epochs: 15 }, wide)],
  ['words + chars 3-5, LR step 0.03, everyday clean text weight 5 (shipped)', base],
  ['shipped, class-balanced loss', variant({ balanceClasses: true })],
  ['shipped, trained on annotator vote shares', variant({}, {}, { softLabels: true })],
  ['shipped, 30 epochs', variant({ epochs: 30 })],
  ['shipped without the short-text damping (minGroupSize 1)', variant({}, { minGroupSize: 1 })],
];

const source = readToxicityCsv(values.data);
const clean = readCleanTextSources();
console.log(`${source.name}: ${source.rows.length} rows; 5-fold stratified CV, ≤ 5 % clean held`);
console.log(
  '| method | weighted F1 | macro F1 | hate F1 | offensive F1 | neither F1 | clean held | abusive held |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [name, config, withClean = true] of CANDIDATES) {
  const sources = withClean ? [source, ...clean] : [source];
  const cv = trainToxicityModel(sources, config).training.crossValidation;
  const f = (x: number): string => x.toFixed(3);
  const p = (x: number): string => `${(x * 100).toFixed(1)} %`;
  console.log(
    `| ${name} | ${f(cv.weightedF1)} | ${f(cv.macroF1)} | ${f(cv.perClass.hate.f1)} | ${f(cv.perClass.offensive.f1)} | ${f(cv.perClass.neither.f1)} | ${p(cv.cleanHeld)} | ${p(cv.abusiveHeld)} |`,
  );
}
