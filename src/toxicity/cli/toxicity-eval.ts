/**
 * Measures the toxicity model on a labelled CSV: per-class precision, recall and F1, the
 * confusion matrix, classifications per CPU-second, and last one JSON line with `weightedF1`,
 * `macroF1`, `cleanHeld` (the share of class-2 rows the model would hold) and the rest.
 *
 *   npm run toxicity:eval -- FILE.csv [--model PATH] [--cv] [--in-sample]
 *
 * Columns `CONTENT,CLASS` (or the development file's own `tweet,class`); `CLASS` 0 hate,
 * 1 offensive, 2 neither. Nothing is learned from the file. A file the shipped model was
 * trained on would be scored on training data, so for it (or with `--cv`) the figures come
 * from stratified k-fold cross-validation with the shipped settings: each row is scored by a
 * model trained on the other folds, and the threshold is chosen on those out-of-fold scores.
 * `--in-sample` scores such a file with the shipped model anyway.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ToxicityClassifier } from '../classifier/toxicity.classifier.js';
import { multiclassReport, predictClass, roundReport } from '../classifier/toxicity-metrics.js';
import {
  DEFAULT_TOXICITY_TRAINING_CONFIG,
  trainToxicityModel,
} from '../classifier/toxicity-model.trainer.js';
import type { MulticlassReport } from '../classifier/toxicity-model.types.js';
import { DEFAULT_TOXICITY_MODEL_PATH, loadToxicityModel } from '../model/toxicity-model.loader.js';
import { readToxicityCsv } from './toxicity-csv.reader.js';
import { classificationsPerCpuSecond, printReport } from './toxicity-report.js';
import { readCleanTextSources } from './toxicity-sources.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: DEFAULT_TOXICITY_MODEL_PATH },
    cv: { type: 'boolean', default: false },
    'in-sample': { type: 'boolean', default: false },
  },
});
const file = positionals[0];
if (!file || positionals.length > 1) {
  console.error('usage: npm run toxicity:eval -- FILE.csv [--model PATH] [--cv] [--in-sample]');
  process.exit(2);
}

const source = readToxicityCsv(file);
const model = loadToxicityModel(values.model);
const seen = model.training.sources.some((s) => !s.auxiliary && s.sha256 === source.sha256);
const count = (c: number): number => source.rows.filter((r) => r.label === c).length;
const mode = values.cv || (seen && !values['in-sample']) ? 'cross-validation' : 'shipped-model';
console.log(
  `${relative(process.cwd(), file) || file}: ${source.rows.length} rows (hate ${count(0)}, offensive ${count(1)}, neither ${count(2)})`,
);

let report: MulticlassReport;
let threshold = model.threshold;
if (mode === 'cross-validation') {
  if (seen) console.log('the shipped model was trained on this file: figures are out-of-fold');
  // As `toxicity:train` does: the clean training text of the shipped model is in every fold's
  // training set; only the file's rows are scored.
  const clean = model.training.sources.some((s) => s.auxiliary) ? readCleanTextSources() : [];
  const cv = trainToxicityModel([source, ...clean], DEFAULT_TOXICITY_TRAINING_CONFIG);
  report = cv.training.crossValidation;
  threshold = cv.threshold;
  console.log(
    `${cv.training.folds}-fold stratified cross-validation, threshold chosen out of fold: ${threshold}`,
  );
} else {
  const classifier = ToxicityClassifier.load(model);
  const predicted = source.rows.map((r) =>
    predictClass(classifier.score(r.text).probabilities, model.threshold, model.hateRatio),
  );
  report = roundReport(
    multiclassReport(
      source.rows.map((r) => r.label),
      predicted,
    ),
  );
  console.log(`shipped model (threshold ${model.threshold}, hate ratio ${model.hateRatio})`);
}
printReport(report);
const shipped = ToxicityClassifier.load(model);
const perCpuSecond = Math.round(
  classificationsPerCpuSecond(
    source.rows.map((r) => r.text),
    (t) => shipped.score(t),
  ),
);
console.log(`  ${perCpuSecond} classifications per CPU-second`);
console.log(
  JSON.stringify({
    file: relative(process.cwd(), file) || file,
    mode,
    n: report.n,
    threshold,
    weightedF1: report.weightedF1,
    macroF1: report.macroF1,
    cleanHeld: report.cleanHeld,
    abusiveHeld: report.abusiveHeld,
    accuracy: report.accuracy,
    perClass: report.perClass,
    confusion: report.confusion,
    perCpuSecond,
  }),
);
