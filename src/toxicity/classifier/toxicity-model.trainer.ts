// Over 300 lines on purpose: training, the ratio search and quantisation are one measured
// procedure (docs/moderation-quality.md); its steps share the data and are read together.
import type { FeatureOptions } from '../../spam/classifier/feature.extractor.js';
import { mulberry32, shuffleInPlace } from '../../spam/classifier/hash.util.js';
import { dequantise, encodeFrequencies, quantise } from './quantise.js';
import { trainSoftmax, type MulticlassExample, type SoftmaxOptions } from './softmax.trainer.js';
import { probabilitiesOf } from './toxicity.classifier.js';
import {
  TOXICITY_FEATURE_OPTIONS,
  toxicityFeatures,
  toxicityFeatureSpaceOf,
} from './toxicity.features.js';
import { multiclassReport, predictClass, roundReport } from './toxicity-metrics.js';
import {
  CLEAN,
  TOXICITY_CLASSES,
  type MulticlassReport,
  type QuantisedColumn,
  type ToxicityModel,
} from './toxicity-model.types.js';

/**
 * Training of the shipped toxicity model (pure: texts in, JSON-ready model out; no I/O, no
 * clock, no unseeded randomness, so the same inputs give the same model byte for byte).
 */

/** A labelled file: class 0 hate, 1 offensive, 2 neither. */
export interface ToxicitySource {
  readonly name: string;
  readonly sha256: string;
  readonly rows: readonly {
    readonly text: string;
    readonly label: number;
    /** Annotators' votes per class, when the file has them (the development file does). */
    readonly votes?: readonly [number, number, number];
  }[];
  /**
   * Extra training text only (everyday clean comments): its rows are in the training set of
   * every fold and of the final model, but never scored, so figures and the threshold come
   * from the other (the Davidson) rows alone.
   */
  readonly auxiliary?: boolean;
}

export interface ToxicityTrainingConfig {
  readonly features: FeatureOptions;
  readonly softmax: SoftmaxOptions;
  /** Stratified folds of the cross-validation that measures the model and picks its threshold. */
  readonly folds: number;
  readonly foldSeed: number;
  /** The threshold maximises out-of-fold weighted F1 with at most this share of clean rows held. */
  readonly maxCleanHeld: number;
  readonly feedback: ToxicityModel['feedback'];
  /**
   * Train towards the annotators' vote shares (soft labels) where a file has them, rather than
   * the majority class alone; figures are always measured against the majority class.
   */
  readonly softLabels: boolean;
  /**
   * How much each row of an `auxiliary` (everyday clean) source counts in training, relative
   * to a Davidson row. The shipped 2 makes the 486 everyday comments weigh about 40 % of the
   * 2,498 clean tweets, so a text with little evidence falls back to a prior for a population
   * where most comments are clean (1, 2, 3, 5 and 10 measured: see docs/moderation-quality.md).
   */
  readonly auxiliaryWeight: number;
  /**
   * NB-LR (Wang and Manning 2012): each feature's value is multiplied by the size of its
   * naive-Bayes log-count ratio between abusive (hate or offensive) and clean training rows,
   * `|ln((a + α) / (‖a‖₁ + α·size)) − ln((c + α) / (‖c‖₁ + α·size))|`, before the regression is
   * trained; the ratios are then folded into the stored weights, so the shipped model reads the
   * same features at the same cost. `null`: plain logistic regression.
   */
  readonly naiveBayes: { readonly alpha: number } | null;
}

/** The settings chosen by measurement (docs/moderation-quality.md). */
export const DEFAULT_TOXICITY_TRAINING_CONFIG: ToxicityTrainingConfig = {
  features: TOXICITY_FEATURE_OPTIONS,
  softmax: { epochs: 10, learningRate: 0.03, l2: 1e-5, balanceClasses: false, seed: 1 },
  folds: 5,
  foldSeed: 21,
  maxCleanHeld: 0.05,
  feedback: { strength: 2.5, smoothing: 0.5, maxShift: 8 },
  softLabels: false,
  auxiliaryWeight: 2,
  naiveBayes: { alpha: 1 },
};

/** The hate/offensive ratios tried (see `predictClass`). */
const HATE_RATIOS = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2];

interface Fitted {
  readonly bias: [number, number];
  readonly hate: Float64Array;
  readonly offensive: Float64Array;
  readonly columns: [QuantisedColumn, QuantisedColumn];
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The size of each id's naive-Bayes log-count ratio between abusive (class 0 or 1) and clean
 * rows: counts of the rows holding the id (each row by its weight), smoothed by `alpha`.
 */
export function logCountRatios(
  examples: readonly MulticlassExample[],
  bits: number,
  alpha: number,
): Float64Array {
  const size = 2 ** bits;
  const abusive = new Float64Array(size);
  const clean = new Float64Array(size);
  for (const { features, label, weight = 1 } of examples) {
    const counts = label === CLEAN ? clean : abusive;
    for (const id of features.ids) counts[id] = (counts[id] ?? 0) + weight;
  }
  let abusiveTotal = alpha * size;
  let cleanTotal = alpha * size;
  for (let i = 0; i < size; i++) {
    abusiveTotal += abusive[i] ?? 0;
    cleanTotal += clean[i] ?? 0;
  }
  const ratios = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    ratios[i] = Math.abs(
      Math.log(((abusive[i] ?? 0) + alpha) / abusiveTotal) -
        Math.log(((clean[i] ?? 0) + alpha) / cleanTotal),
    );
  }
  return ratios;
}

/** The examples with every feature value multiplied by its id's ratio. */
export function scaleFeatures(
  examples: readonly MulticlassExample[],
  ratios: Float64Array,
): MulticlassExample[] {
  return examples.map((e) => {
    const { ids, values } = e.features;
    const scaled = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++)
      scaled[i] = (values[i] ?? 0) * (ratios[ids[i] ?? 0] ?? 0);
    return { ...e, features: { ...e.features, values: scaled } };
  });
}

/**
 * Trains (on naive-Bayes-scaled features when configured), then stores weights relative to the
 * clean class, with the ratios folded in, quantised as they ship.
 */
function fit(examples: readonly MulticlassExample[], config: ToxicityTrainingConfig): Fitted {
  const { bits } = config.features;
  const ratios = config.naiveBayes ? logCountRatios(examples, bits, config.naiveBayes.alpha) : null;
  const m = trainSoftmax(
    ratios ? scaleFeatures(examples, ratios) : examples,
    TOXICITY_CLASSES.length,
    bits,
    config.softmax,
  );
  const size = m.size;
  const relative = (c: number): Float64Array => {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      out[i] =
        ((m.weights[c * size + i] ?? 0) - (m.weights[CLEAN * size + i] ?? 0)) *
        (ratios ? (ratios[i] ?? 0) : 1);
    }
    return out;
  };
  const columns: [QuantisedColumn, QuantisedColumn] = [
    quantise(relative(0)),
    quantise(relative(1)),
  ];
  return {
    bias: [
      round((m.bias[0] ?? 0) - (m.bias[CLEAN] ?? 0), 6),
      round((m.bias[1] ?? 0) - (m.bias[CLEAN] ?? 0), 6),
    ],
    hate: dequantise(columns[0], size),
    offensive: dequantise(columns[1], size),
    columns,
  };
}

/** Fold of each row: stratified by class, rows of a class dealt round-robin after a seeded shuffle. */
export function stratifiedFolds(labels: readonly number[], folds: number, seed: number): number[] {
  const fold = new Array<number>(labels.length).fill(0);
  const random = mulberry32(seed);
  for (let c = 0; c < TOXICITY_CLASSES.length; c++) {
    const rows = labels.flatMap((l, i) => (l === c ? [i] : []));
    shuffleInPlace(rows, random);
    rows.forEach((row, k) => (fold[row] = k % folds));
  }
  return fold;
}

/** A trainer under cross-validation: training rows in, a scorer of feature vectors out. */
export type FitScorer = (
  train: readonly MulticlassExample[],
) => (features: MulticlassExample['features']) => [number, number, number];

/**
 * Out-of-fold probabilities of every row, each scored by what `fitScorer` trained on the other
 * folds plus `auxiliary` (stratified folds of `stratifiedFolds`).
 */
export function crossValidate(
  examples: readonly MulticlassExample[],
  folds: number,
  foldSeed: number,
  fitScorer: FitScorer,
  auxiliary: readonly MulticlassExample[] = [],
): [number, number, number][] {
  const fold = stratifiedFolds(
    examples.map((e) => e.label),
    folds,
    foldSeed,
  );
  const out = new Array<[number, number, number]>(examples.length);
  for (let k = 0; k < folds; k++) {
    const score = fitScorer([...examples.filter((_, i) => fold[i] !== k), ...auxiliary]);
    examples.forEach((e, i) => {
      if (fold[i] === k) out[i] = score(e.features);
    });
  }
  return out;
}

/** Out-of-fold probabilities of every row under the shipped model's training (quantised). */
export function crossValidateToxicity(
  examples: readonly MulticlassExample[],
  config: ToxicityTrainingConfig,
  auxiliary: readonly MulticlassExample[] = [],
): [number, number, number][] {
  return crossValidate(
    examples,
    config.folds,
    config.foldSeed,
    (train) => {
      const model = fit(train, config);
      return (features) => probabilitiesOf(model.hate, model.offensive, model.bias, features);
    },
    auxiliary,
  );
}

/**
 * The threshold on toxicity (`1 − P(neither)`) with the best weighted F1 among those that hold
 * at most `maxCleanHeld` of the clean rows. Sweeps the rows from most to least toxic, updating
 * the confusion matrix as each becomes held.
 */
export function chooseToxicityThreshold(
  probabilities: readonly (readonly number[])[],
  labels: readonly number[],
  maxCleanHeld: number,
): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (probabilities[a]?.[CLEAN] ?? 0) - (probabilities[b]?.[CLEAN] ?? 0),
  );
  const predicted = new Array<number>(n).fill(CLEAN);
  const k = TOXICITY_CLASSES.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) {
    const row = confusion[labels[i] ?? 0];
    if (row) row[CLEAN] = (row[CLEAN] ?? 0) + 1;
  }
  const support = confusion.map((r) => r.reduce((a, b) => a + b, 0));
  const cleanRows = support[CLEAN] ?? 0;
  const weightedF1 = (): number => {
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const tp = confusion[c]?.[c] ?? 0;
      const predictedC = confusion.reduce((a, r) => a + (r[c] ?? 0), 0);
      const s = support[c] ?? 0;
      const f1 = s + predictedC === 0 ? 0 : (2 * tp) / (s + predictedC);
      sum += (s / n) * f1;
    }
    return sum;
  };
  let best = { f1: -1, threshold: 1 };
  let i = 0;
  while (i < n) {
    const toxicity = 1 - (probabilities[order[i] ?? 0]?.[CLEAN] ?? 0);
    // Every row with this toxicity becomes held at once.
    while (i < n && 1 - (probabilities[order[i] ?? 0]?.[CLEAN] ?? 0) === toxicity) {
      const row = order[i] ?? 0;
      const p = probabilities[row] ?? [];
      const cls = (p[0] ?? 0) > (p[1] ?? 0) ? 0 : 1;
      const actual = confusion[labels[row] ?? 0];
      if (actual) {
        actual[CLEAN] = (actual[CLEAN] ?? 0) - 1;
        actual[cls] = (actual[cls] ?? 0) + 1;
      }
      predicted[row] = cls;
      i++;
    }
    const held = cleanRows - (confusion[CLEAN]?.[CLEAN] ?? 0);
    if (cleanRows > 0 && held / cleanRows > maxCleanHeld) break;
    const f1 = weightedF1();
    if (f1 > best.f1) best = { f1, threshold: toxicity };
  }
  return best.threshold;
}

/** Figures of probabilities at a threshold. */
export function reportAt(
  probabilities: readonly (readonly number[])[],
  labels: readonly number[],
  threshold: number,
  hateRatio = 1,
): MulticlassReport {
  return multiclassReport(
    labels,
    probabilities.map((p) => predictClass(p, threshold, hateRatio)),
  );
}

/** The ratio (of `HATE_RATIOS`) with the best weighted F1 at `threshold` (the first on ties). */
export function chooseHateRatio(
  probabilities: readonly (readonly number[])[],
  labels: readonly number[],
  threshold: number,
): number {
  let best = { f1: -1, ratio: 1 };
  for (const ratio of HATE_RATIOS) {
    const f1 = reportAt(probabilities, labels, threshold, ratio).weightedF1;
    if (f1 > best.f1) best = { f1, ratio };
  }
  return best.ratio;
}

/**
 * The rows of `sources` as training examples: `scored` (the labelled files, whose rows are
 * measured) and `auxiliary` (the everyday clean text, weighted by `auxiliaryWeight`).
 */
export function toxicityExamples(
  sources: readonly ToxicitySource[],
  config: ToxicityTrainingConfig,
): { scored: MulticlassExample[]; auxiliary: MulticlassExample[] } {
  const examplesOf = (list: readonly ToxicitySource[]): MulticlassExample[] =>
    list.flatMap((s) =>
      s.rows.map((r) => {
        const total = r.votes ? r.votes[0] + r.votes[1] + r.votes[2] : 0;
        return {
          features: toxicityFeatures(r.text, config.features),
          label: r.label,
          ...(config.softLabels && r.votes && total > 0
            ? { target: r.votes.map((v) => v / total) }
            : {}),
        };
      }),
    );
  return {
    scored: examplesOf(sources.filter((s) => !s.auxiliary)),
    auxiliary: examplesOf(sources.filter((s) => s.auxiliary)).map((e) =>
      config.auxiliaryWeight === 1 ? e : { ...e, weight: config.auxiliaryWeight },
    ),
  };
}

/**
 * The operating point chosen on out-of-fold probabilities: the threshold (at most
 * `maxCleanHeld` of clean rows held, floored to 6 digits so the stored threshold holds every
 * row the chosen one held), then the hate ratio, and the figures there (rounded).
 */
export function operatingPoint(
  oof: readonly (readonly number[])[],
  labels: readonly number[],
  maxCleanHeld: number,
): { threshold: number; hateRatio: number; report: MulticlassReport } {
  const threshold = Math.floor(chooseToxicityThreshold(oof, labels, maxCleanHeld) * 1e6) / 1e6;
  const hateRatio = chooseHateRatio(oof, labels, threshold);
  return { threshold, hateRatio, report: roundReport(reportAt(oof, labels, threshold, hateRatio)) };
}

/**
 * Trains the shipped model: stratified k-fold cross-validation (to report figures on rows
 * each fold's model never saw and to choose the threshold on them), then the final model on
 * every row.
 */
export function trainToxicityModel(
  sources: readonly ToxicitySource[],
  config: ToxicityTrainingConfig = DEFAULT_TOXICITY_TRAINING_CONFIG,
): ToxicityModel {
  return trainToxicityModelWithScores(sources, config).model;
}

/** `trainToxicityModel`, also giving the out-of-fold probabilities of the scored rows. */
export function trainToxicityModelWithScores(
  sources: readonly ToxicitySource[],
  config: ToxicityTrainingConfig = DEFAULT_TOXICITY_TRAINING_CONFIG,
): { model: ToxicityModel; oof: [number, number, number][] } {
  const { scored, auxiliary } = toxicityExamples(sources, config);
  const examples = [...scored, ...auxiliary];
  const oof = crossValidateToxicity(scored, config, auxiliary);
  const {
    threshold,
    hateRatio,
    report: crossValidation,
  } = operatingPoint(
    oof,
    scored.map((e) => e.label),
    config.maxCleanHeld,
  );

  const final = fit(examples, config);
  const size = 2 ** config.features.bits;
  const df = new Float64Array(size);
  for (const { features } of examples) {
    const seen = new Set<number>();
    for (let i = 0; i < features.wordCount + features.charCount; i++)
      seen.add(features.ids[i] ?? 0);
    for (const id of seen) df[id] = (df[id] ?? 0) + 1;
  }
  const model: ToxicityModel = {
    format: 'comment-toxicity-model',
    version: 1,
    featureSpace: toxicityFeatureSpaceOf(config.features),
    features: config.features,
    classes: [...TOXICITY_CLASSES],
    threshold,
    hateRatio,
    bias: final.bias,
    weights: final.columns,
    documentFrequency: { documents: examples.length, data: encodeFrequencies(df) },
    feedback: config.feedback,
    training: {
      sources: sources.map((s) => ({
        name: s.name,
        sha256: s.sha256,
        rows: s.rows.length,
        byClass: TOXICITY_CLASSES.map((_, c) => s.rows.filter((r) => r.label === c).length),
        ...(s.auxiliary ? { auxiliary: true } : {}),
      })),
      softmax: config.softmax,
      folds: config.folds,
      foldSeed: config.foldSeed,
      maxCleanHeld: config.maxCleanHeld,
      naiveBayes: config.naiveBayes,
      ...(auxiliary.length > 0 ? { auxiliaryWeight: config.auxiliaryWeight } : {}),
      crossValidation,
    },
  };
  return { model, oof };
}
