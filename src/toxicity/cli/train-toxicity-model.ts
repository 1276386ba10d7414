/**
 * Trains the shipped toxicity model from the labelled CSVs in `data/toxicity/` and writes
 * `models/toxicity-model.json`, with the legitimate (ham) comments of the spam corpus
 * (`data/spam/`, or `--clean DIR`) as extra clean training text (see `clean-text.reader.ts`;
 * `--no-clean` leaves them out). Deterministic: the same CSVs give a byte-identical file.
 *
 *   npm run toxicity:train [-- --data DIR] [--clean DIR | --no-clean] [--out FILE] [--check]
 *
 * `--check` writes nothing and exits 1 when the file on disk differs from what the data gives.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_TOXICITY_TRAINING_CONFIG,
  trainToxicityModel,
} from '../classifier/toxicity-model.trainer.js';
import { DEFAULT_TOXICITY_MODEL_PATH, TOXICITY_DATA_DIR } from '../model/toxicity-model.loader.js';
import { printReport } from './toxicity-report.js';
import { readToxicityCsv } from './toxicity-csv.reader.js';
import { CLEAN_TEXT_DIR, csvFilesIn, readCleanTextSources } from './toxicity-sources.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: TOXICITY_DATA_DIR },
    out: { type: 'string', default: DEFAULT_TOXICITY_MODEL_PATH },
    clean: { type: 'string', default: CLEAN_TEXT_DIR },
    'no-clean': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
  },
});
const root = process.cwd();
const files = csvFilesIn(values.data);
if (files.length === 0) {
  console.error(`no *.csv files in ${values.data}`);
  process.exit(1);
}
const sources = [
  ...files.map((f) => readToxicityCsv(f)),
  ...(values['no-clean'] ? [] : readCleanTextSources(values.clean)),
];
const started = performance.now();
const model = trainToxicityModel(sources, DEFAULT_TOXICITY_TRAINING_CONFIG);
const json = `${JSON.stringify(model)}\n`;
const sha256 = createHash('sha256').update(json).digest('hex');

for (const s of model.training.sources) {
  console.log(
    `source  ${s.name}  rows ${s.rows}  by class ${s.byClass.join('/')}  sha256 ${s.sha256}${s.auxiliary ? '  (training only)' : ''}`,
  );
}
console.log(
  `${model.training.folds}-fold cross-validation (stratified, seed ${model.training.foldSeed}), out-of-fold, scored sources only:`,
);
printReport(model.training.crossValidation);
console.log(
  `threshold ${model.threshold} (at most ${model.training.maxCleanHeld * 100} % of clean rows held)  hate ratio ${model.hateRatio}  feature space ${model.featureSpace}`,
);
console.log(
  `trained in ${((performance.now() - started) / 1000).toFixed(1)} s; model ${(json.length / 1024).toFixed(0)} KiB, sha256 ${sha256}`,
);

const out = values.out;
if (values.check) {
  const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (current !== json) {
    console.error(`${relative(root, out)} differs from what ${relative(root, values.data)} gives`);
    process.exit(1);
  }
  console.log(`${relative(root, out)} is up to date`);
} else {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, json);
  console.log(`wrote ${relative(root, out)}`);
}
