/**
 * The method comparison of docs/moderation-quality.md: each candidate's stratified 5-fold
 * cross-validation on the training data, threshold chosen out of fold with at most 5 % of
 * clean rows held, exactly as `toxicity:train` does for the shipped settings (the everyday
 * clean text of `data/spam/` in every fold's training set, only the file's rows scored), with
 * each candidate's classifications per CPU-second (text decoding and features included) and
 * the size of its model file.
 *
 *   npm run toxicity:compare [-- --data FILE.csv] [--only TEXT,TEXT…]
 *
 * `--only` measures the candidates whose names contain one of the comma-separated texts (and
 * the averages of two measured ones).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_MLP_OPTIONS,
  trainMlp,
  type Mlp,
  type MlpOptions,
} from '../../src/toxicity/classifier/mlp.trainer.js';
import { ToxicityClassifier } from '../../src/toxicity/classifier/toxicity.classifier.js';
import { toxicityFeatures } from '../../src/toxicity/classifier/toxicity.features.js';
import {
  crossValidate,
  DEFAULT_TOXICITY_TRAINING_CONFIG,
  logCountRatios,
  operatingPoint,
  scaleFeatures,
  toxicityExamples,
  trainToxicityModelWithScores,
  type ToxicityTrainingConfig,
} from '../../src/toxicity/classifier/toxicity-model.trainer.js';
import type { MulticlassReport } from '../../src/toxicity/classifier/toxicity-model.types.js';
import { TOXICITY_DATA_DIR } from '../../src/toxicity/model/toxicity-model.loader.js';
import { classificationsPerCpuSecond } from '../../src/toxicity/cli/toxicity-report.js';
import { readToxicityCsv } from '../../src/toxicity/cli/toxicity-csv.reader.js';
import { readCleanTextSources } from '../../src/toxicity/cli/toxicity-sources.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: join(TOXICITY_DATA_DIR, 'davidson_hate_offensive_dev.csv') },
    only: { type: 'string' },
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
/**
 * Plain logistic regression (no naive-Bayes scaling), everyday text weight 5: the model before,
 * and the variants measured with it.
 */
const plain = (
  softmax: Partial<ToxicityTrainingConfig['softmax']> = {},
  features: Partial<ToxicityTrainingConfig['features']> = {},
  rest: Partial<ToxicityTrainingConfig> = {},
): ToxicityTrainingConfig =>
  variant(softmax, features, { naiveBayes: null, auxiliaryWeight: 5, ...rest });
const wide = { wordBigrams: true, charMin: 2 };

type Candidate =
  /** A linear model trained as `toxicity:train` trains (`clean`: with the everyday text). */
  | { name: string; kind: 'linear'; config: ToxicityTrainingConfig; clean?: boolean }
  /** The one-hidden-layer perceptron, over features hashed into `2^bits` ids. */
  | { name: string; kind: 'mlp'; bits: number; options: MlpOptions; naiveBayes?: boolean }
  /** The mean of two earlier candidates' probabilities. */
  | { name: string; kind: 'average'; of: readonly [string, string] };

const MLP_BITS = 16;
const CANDIDATES: Candidate[] = [
  { name: 'plain LR, no everyday clean text', kind: 'linear', config: plain(), clean: false },
  { name: 'plain LR (the model before)', kind: 'linear', config: plain() },
  {
    name: 'plain LR, everyday text weight 1',
    kind: 'linear',
    config: plain({}, {}, { auxiliaryWeight: 1 }),
  },
  {
    name: 'plain LR, everyday text weight 3',
    kind: 'linear',
    config: plain({}, {}, { auxiliaryWeight: 3 }),
  },
  {
    name: 'plain LR, everyday text weight 10',
    kind: 'linear',
    config: plain({}, {}, { auxiliaryWeight: 10 }),
  },
  { name: 'plain LR, words only', kind: 'linear', config: plain({}, { charMin: 0 }) },
  {
    name: 'plain LR, words + bigrams + chars 2-5, step 0.3',
    kind: 'linear',
    config: plain({ learningRate: 0.3, epochs: 8 }, wide),
  },
  {
    name: 'plain LR, words + bigrams + chars 2-5, step 0.05',
    kind: 'linear',
    config: plain({ learningRate: 0.05, epochs: 15 }, wide),
  },
  {
    name: 'plain LR, class-balanced loss',
    kind: 'linear',
    config: plain({ balanceClasses: true }),
  },
  {
    name: 'plain LR, annotator vote shares',
    kind: 'linear',
    config: plain({}, {}, { softLabels: true }),
  },
  { name: 'plain LR, 30 epochs', kind: 'linear', config: plain({ epochs: 30 }) },
  { name: 'plain LR, minGroupSize 1', kind: 'linear', config: plain({}, { minGroupSize: 1 }) },
  { name: 'NB-LR α 1 (shipped)', kind: 'linear', config: base },
  { name: 'NB-LR α 0.5', kind: 'linear', config: variant({}, {}, { naiveBayes: { alpha: 0.5 } }) },
  { name: 'NB-LR α 2', kind: 'linear', config: variant({}, {}, { naiveBayes: { alpha: 2 } }) },
  { name: 'NB-LR + word bigrams', kind: 'linear', config: variant({}, { wordBigrams: true }) },
  {
    name: 'NB-LR everyday text weight 1',
    kind: 'linear',
    config: variant({}, {}, { auxiliaryWeight: 1 }),
  },
  {
    name: 'NB-LR everyday text weight 5',
    kind: 'linear',
    config: variant({}, {}, { auxiliaryWeight: 5 }),
  },
  { name: 'NB-LR without everyday clean text', kind: 'linear', config: base, clean: false },
  {
    name: `MLP 2^${MLP_BITS} ids → 32 ReLU → 3`,
    kind: 'mlp',
    bits: MLP_BITS,
    options: DEFAULT_MLP_OPTIONS,
  },
  {
    name: `MLP on NB-scaled features 2^${MLP_BITS} ids → 32 ReLU → 3`,
    kind: 'mlp',
    bits: MLP_BITS,
    options: DEFAULT_MLP_OPTIONS,
    naiveBayes: true,
  },
  {
    name: 'mean of NB-LR (shipped) and MLP',
    kind: 'average',
    of: ['NB-LR α 1 (shipped)', `MLP 2^${MLP_BITS} ids → 32 ReLU → 3`],
  },
];

const source = readToxicityCsv(values.data);
const clean = readCleanTextSources();
const labels = source.rows.map((r) => r.label);
const texts = source.rows.map((r) => r.text);
/** Base64 of one byte per value, as the model files store weights and frequencies. */
const base64Bytes = (n: number): number => Math.ceil(n / 3) * 4;

interface Measured {
  readonly oof: [number, number, number][];
  readonly report: MulticlassReport;
  readonly perCpuSecond: number;
  readonly bytes: number;
}

function measureLinear(config: ToxicityTrainingConfig, withClean: boolean): Measured {
  const { model, oof } = trainToxicityModelWithScores(
    withClean ? [source, ...clean] : [source],
    config,
  );
  const classifier = ToxicityClassifier.load(model);
  return {
    oof,
    report: model.training.crossValidation,
    perCpuSecond: classificationsPerCpuSecond(texts, (t) => classifier.score(t)),
    bytes: JSON.stringify(model).length + 1,
  };
}

/**
 * The perceptron under the same protocol. Its size is what a file would take with the shipped
 * model's encoding: one byte per weight in base64, plus the document frequencies lessons need.
 */
function measureMlp(bits: number, options: MlpOptions, naiveBayes: boolean): Measured {
  const config = variant({}, { bits });
  const { scored, auxiliary } = toxicityExamples([source, ...clean], config);
  let last: { mlp: Mlp; ratios: Float64Array | null } | null = null;
  const oof = crossValidate(
    scored,
    config.folds,
    config.foldSeed,
    (train) => {
      const ratios = naiveBayes ? logCountRatios(train, bits, 1) : null;
      const mlp = trainMlp(ratios ? scaleFeatures(train, ratios) : train, bits, options);
      last = { mlp, ratios };
      return (features) =>
        mlp.probabilities(
          ratios
            ? (scaleFeatures([{ features, label: 0 }], ratios)[0]?.features ?? features)
            : features,
        );
    },
    auxiliary,
  );
  const { report } = operatingPoint(oof, labels, config.maxCleanHeld);
  const trained = last as { mlp: Mlp; ratios: Float64Array | null } | null;
  if (!trained) throw new Error('no fold was trained');
  const score = (text: string): [number, number, number] => {
    const features = toxicityFeatures(text, config.features);
    return trained.mlp.probabilities(
      trained.ratios
        ? (scaleFeatures([{ features, label: 0 }], trained.ratios)[0]?.features ?? features)
        : features,
    );
  };
  return {
    oof,
    report,
    perCpuSecond: classificationsPerCpuSecond(texts, score),
    bytes: base64Bytes(trained.mlp.parameters) + base64Bytes(2 ** bits),
  };
}

const measured = new Map<string, Measured>();
const f = (x: number): string => x.toFixed(3);
const p = (x: number): string => `${(x * 100).toFixed(1)} %`;
console.log(`${source.name}: ${source.rows.length} rows; 5-fold stratified CV, ≤ 5 % clean held`);
console.log(
  '| method | weighted F1 | macro F1 | hate F1 | offensive F1 | neither F1 | clean held | abusive held | per CPU-second | model |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const candidate of CANDIDATES) {
  const only = values.only?.split(',');
  if (only && candidate.kind !== 'average' && !only.some((o) => candidate.name.includes(o))) {
    continue;
  }
  let m: Measured;
  if (candidate.kind === 'linear') {
    m = measureLinear(candidate.config, candidate.clean ?? true);
  } else if (candidate.kind === 'mlp') {
    m = measureMlp(candidate.bits, candidate.options, candidate.naiveBayes ?? false);
  } else {
    const [a, b] = candidate.of.map((name) => measured.get(name));
    if (!a || !b) continue;
    const oof = a.oof.map((pa, i): [number, number, number] => {
      const pb = b.oof[i] ?? pa;
      return [(pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2, (pa[2] + pb[2]) / 2];
    });
    m = {
      oof,
      report: operatingPoint(oof, labels, base.maxCleanHeld).report,
      perCpuSecond: 1 / (1 / a.perCpuSecond + 1 / b.perCpuSecond),
      bytes: a.bytes + b.bytes,
    };
  }
  measured.set(candidate.name, m);
  const r = m.report;
  console.log(
    `| ${candidate.name} | ${f(r.weightedF1)} | ${f(r.macroF1)} | ${f(r.perClass.hate.f1)} | ${f(r.perClass.offensive.f1)} | ${f(r.perClass.neither.f1)} | ${p(r.cleanHeld)} | ${p(r.abusiveHeld)} | ${Math.round(m.perCpuSecond / 1000)}k | ${(m.bytes / 1024).toFixed(0)} KiB |`,
  );
}
