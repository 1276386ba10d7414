/**
 * Trains the shipped spam model from the labelled CSVs in `data/spam/` and writes
 * `models/spam-model.json`. Deterministic: the same CSVs give a byte-identical file.
 *
 *   npm run spam:train [-- --data DIR] [--out FILE] [--check]
 *
 * `--check` writes nothing and exits 1 when the file on disk differs from what the data gives.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_TRAINING_CONFIG,
  trainSpamModel,
  type TrainingSource,
} from '../classifier/spam-model.trainer.js';
import { DEFAULT_SPAM_MODEL_PATH } from '../model/spam-model.loader.js';
import { progress } from '../../common/cli/progress.js';
import { readLabelledDirectory } from './labelled-csv.reader.js';
import { PROJECT_ROOT, TRAINING_DATA_DIR } from './project.paths.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: TRAINING_DATA_DIR },
    out: { type: 'string', default: DEFAULT_SPAM_MODEL_PATH },
    check: { type: 'boolean', default: false },
  },
});
const dataDir = values.data;
const out = values.out;

const sources: TrainingSource[] = readLabelledDirectory(dataDir).map((s) => ({
  ...s,
  weight: 1,
  holdOut: true,
}));
if (sources.length === 0) {
  console.error(`no *.csv files in ${dataDir}`);
  process.exit(1);
}
const started = performance.now();
const bar = progress('spam:train');
const model = trainSpamModel(sources, DEFAULT_TRAINING_CONFIG, {
  step: (message) => bar.step(message),
  fold: (done, total) => bar.update(done, total, 'cross-validation folds'),
});
bar.done('trained');
const json = `${JSON.stringify(model)}\n`;
const sha256 = createHash('sha256').update(json).digest('hex');
const seconds = ((performance.now() - started) / 1000).toFixed(1);

for (const s of model.training.sources)
  console.log(`source  ${s.name}  rows ${s.rows}  spam ${s.spam}  sha256 ${s.sha256}`);
for (const f of model.training.crossValidation) {
  console.log(
    `held out ${f.heldOut}: n ${f.n}  auc ${f.auc}  precision ${f.precision}  recall ${f.recall}  f1 ${f.f1}  fpr ${f.fpr}  mcc ${f.mcc}`,
  );
}
console.log(
  `threshold ${model.threshold}  weights ${model.weights.values.length}  feature space ${model.featureSpace}`,
);
console.log(
  `trained in ${seconds} s; model ${(json.length / 1024).toFixed(0)} KiB, sha256 ${sha256}`,
);

if (values.check) {
  const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (current !== json) {
    console.error(
      `${relative(PROJECT_ROOT, out)} differs from what ${relative(PROJECT_ROOT, dataDir) || '.'} gives`,
    );
    process.exit(1);
  }
  console.log(`${relative(PROJECT_ROOT, out)} is up to date`);
} else {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, json);
  console.log(`wrote ${relative(PROJECT_ROOT, out)}`);
}
