/**
 * Scores labelled CSV files with the spam model as the service uses it and prints precision,
 * recall, F1, accuracy, MCC, the confusion matrix and classifications per second; the last
 * line is one JSON object with the figures over all files (spam is the positive class).
 *
 *   npm run spam:eval -- FILE.csv [FILE.csv …] [--model PATH] [--in-sample]
 *
 * Each CSV needs a header with `CONTENT` and `CLASS` (1 = spam, 0 = ham); other columns are
 * ignored. Nothing is learned from the file. If a file is (mostly) one of the model's own
 * training files, scoring it with the shipped model would be testing on training data, so
 * the model is rebuilt, with the shipped settings, from the training data without that file
 * (a leave-one-out estimate); `--in-sample` scores with the shipped model anyway.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { metricsOf, type Confusion, type Metrics } from '../classifier/metrics.util.js';
import { SpamClassifier } from '../classifier/spam.classifier.js';
import type { SpamModel } from '../classifier/spam-model.types.js';
import {
  trainingConfigOf,
  trainSpamModel,
  type TrainingSource,
} from '../classifier/spam-model.trainer.js';
import { cleanText } from '../classifier/text.normalizer.js';
import { DEFAULT_SPAM_MODEL_PATH, loadSpamModel } from '../model/spam-model.loader.js';
import { readLabelledCsv, type LabelledSource } from './labelled-csv.reader.js';
import { TRAINING_DATA_DIR } from './project.paths.js';
import { progress } from '../../common/cli/progress.js';

/** Timed passes run until they have used at least this much CPU time (after a warm-up pass). */
const MIN_TIMING_MS = 1000;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: DEFAULT_SPAM_MODEL_PATH },
    data: { type: 'string', default: TRAINING_DATA_DIR },
    'in-sample': { type: 'boolean', default: false },
  },
});
if (positionals.length === 0) {
  console.error('usage: npm run spam:eval -- FILE.csv [FILE.csv …] [--model PATH] [--in-sample]');
  process.exit(2);
}

const shown = (path: string): string => relative(process.cwd(), path) || path;
const shippedModel = loadSpamModel(values.model);

/** Training sources of the shipped model, read from the data directory when it is there. */
function trainingSources(): LabelledSource[] {
  return shippedModel.training.sources
    .map((s) => join(values.data, s.name))
    .filter((path) => existsSync(path))
    .map((path) => readLabelledCsv(path));
}

/** Names of training sources the evaluated file overlaps (same bytes, or ≥ half the rows). */
function overlappingSources(file: LabelledSource, training: readonly LabelledSource[]): string[] {
  const names = new Set<string>();
  for (const s of shippedModel.training.sources) if (s.sha256 === file.sha256) names.add(s.name);
  const texts = new Set(file.rows.map((r) => cleanText(r.text)));
  for (const source of training) {
    const shared = source.rows.filter((r) => texts.has(cleanText(r.text))).length;
    if (shared > 0 && (shared * 2 >= file.rows.length || shared * 2 >= source.rows.length))
      names.add(source.name);
  }
  return [...names].sort();
}

const retrained = new Map<string, SpamModel>();

/** The model to score `file` with, and how it was obtained. */
function modelFor(file: LabelledSource): { model: SpamModel; note: string } {
  const modelName = shown(values.model);
  if (values['in-sample']) return { model: shippedModel, note: `${modelName} (--in-sample)` };
  const training = trainingSources();
  const overlap = overlappingSources(file, training);
  if (overlap.length === 0) return { model: shippedModel, note: modelName };
  const missing = overlap.filter((name) => !training.some((s) => s.name === name));
  if (missing.length > 0 || training.length < shippedModel.training.sources.length) {
    throw new Error(
      `${file.name} is part of the model's training data, and ${shown(values.data)} lacks some training files ` +
        'needed to retrain without it; use --in-sample to score with the shipped model anyway',
    );
  }
  const key = overlap.join('\n');
  let model = retrained.get(key);
  if (!model) {
    const recorded = new Map(shippedModel.training.sources.map((s) => [s.name, s]));
    const sources: TrainingSource[] = training
      .filter((s) => !overlap.includes(s.name))
      .map((s) => ({
        ...s,
        weight: recorded.get(s.name)?.weight ?? 1,
        holdOut: recorded.get(s.name)?.heldOutInCrossValidation ?? true,
      }));
    if (sources.length === 0)
      throw new Error(`${file.name} covers all training data; use --in-sample`);
    const bar = progress(`spam:eval retraining without ${overlap.join(', ')}`);
    model = trainSpamModel(sources, trainingConfigOf(shippedModel), {
      step: (message) => bar.step(message),
      fold: (done, total) => bar.update(done, total, 'cross-validation folds'),
    });
    bar.done('retrained');
    retrained.set(key, model);
  }
  return {
    model,
    note: `${modelName} settings retrained without ${overlap.join(', ')} (in its training data; leave-one-out)`,
  };
}

interface FileResult {
  readonly confusion: Confusion;
  readonly classifications: number;
  /** Wall-clock time of the timed passes. */
  readonly nanoseconds: bigint;
  /** CPU time (user + system) of the timed passes: what one core spent, whatever else runs. */
  readonly cpuMicroseconds: number;
}

const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

function evaluate(file: LabelledSource, classifier: SpamClassifier): FileResult {
  const texts = file.rows.map((r) => r.text);
  for (const t of texts) classifier.score(t); // warm-up
  const confusion: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  let classifications = 0;
  let nanoseconds = 0n;
  let cpuMicroseconds = 0;
  let pass = 0;
  while (pass === 0 || cpuMicroseconds < MIN_TIMING_MS * 1000) {
    const decisions = new Array<boolean>(texts.length);
    const cpuStart = cpuNow();
    const start = process.hrtime.bigint();
    for (let i = 0; i < texts.length; i++) decisions[i] = classifier.score(texts[i] ?? '').spam;
    nanoseconds += process.hrtime.bigint() - start;
    cpuMicroseconds += cpuNow() - cpuStart;
    classifications += texts.length;
    if (pass === 0) {
      file.rows.forEach((r, i) => {
        const spam = decisions[i] === true;
        if (spam && r.label === 1) confusion.tp++;
        else if (spam) confusion.fp++;
        else if (r.label === 1) confusion.fn++;
        else confusion.tn++;
      });
    }
    pass++;
    if (texts.length === 0) break;
  }
  return { confusion, classifications, nanoseconds, cpuMicroseconds };
}

const f4 = (x: number): string => x.toFixed(4);
type Timing = Pick<FileResult, 'classifications' | 'nanoseconds' | 'cpuMicroseconds'>;
/** Classifications per CPU-second: the rate of one core, unaffected by other load. */
const perSecondOf = (r: Timing): number =>
  r.cpuMicroseconds <= 0 ? 0 : Math.round((r.classifications * 1e6) / r.cpuMicroseconds);
const perWallSecondOf = (r: Timing): number =>
  r.nanoseconds === 0n ? 0 : Math.round((r.classifications * 1e9) / Number(r.nanoseconds));

function printMetrics(m: Metrics, timing: Timing): void {
  const c = m.confusion;
  console.log(
    `  precision ${f4(m.precision)}  recall ${f4(m.recall)}  F1 ${f4(m.f1)}  accuracy ${f4(m.accuracy)}  MCC ${f4(m.mcc)}`,
  );
  console.log(
    `  legitimate comments blocked (false-positive rate) ${f4(m.fpr)}: ${c.fp} of ${c.fp + c.tn}`,
  );
  console.log('  confusion matrix     predicted spam  predicted ham');
  console.log(`    actual spam   ${String(c.tp).padStart(16)} ${String(c.fn).padStart(14)}`);
  console.log(`    actual ham    ${String(c.fp).padStart(16)} ${String(c.tn).padStart(14)}`);
  console.log(
    `  classifications per second ${perSecondOf(timing)} per CPU-second of one thread` +
      ` (${perWallSecondOf(timing)} per wall-clock second; ${timing.classifications} timed after a warm-up pass)`,
  );
}

const total: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
let totalClassifications = 0;
let totalNanoseconds = 0n;
let totalCpuMicroseconds = 0;
try {
  for (const path of positionals) {
    const file = readLabelledCsv(path);
    const { model, note } = modelFor(file);
    const classifier = SpamClassifier.load(model);
    const result = evaluate(file, classifier);
    const spam = file.rows.filter((r) => r.label === 1).length;
    console.log(
      `${shown(path)}: ${file.rows.length} comments (${spam} spam, ${file.rows.length - spam} ham)`,
    );
    console.log(`  model: ${note}; threshold ${model.threshold}`);
    printMetrics(metricsOf(result.confusion), result);
    total.tp += result.confusion.tp;
    total.fp += result.confusion.fp;
    total.tn += result.confusion.tn;
    total.fn += result.confusion.fn;
    totalClassifications += result.classifications;
    totalNanoseconds += result.nanoseconds;
    totalCpuMicroseconds += result.cpuMicroseconds;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const m = metricsOf(total);
const timing: Timing = {
  classifications: totalClassifications,
  nanoseconds: totalNanoseconds,
  cpuMicroseconds: totalCpuMicroseconds,
};
const perSecond = perSecondOf(timing);
if (positionals.length > 1) {
  console.log(`all ${positionals.length} files: ${m.n} comments`);
  printMetrics(m, timing);
}
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;
console.log(
  JSON.stringify({
    n: m.n,
    precision: r6(m.precision),
    recall: r6(m.recall),
    f1: r6(m.f1),
    accuracy: r6(m.accuracy),
    mcc: r6(m.mcc),
    confusion: { tp: m.confusion.tp, fp: m.confusion.fp, tn: m.confusion.tn, fn: m.confusion.fn },
    perSecond,
  }),
);
