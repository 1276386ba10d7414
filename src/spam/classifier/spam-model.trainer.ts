import {
  DEFAULT_FEATURE_OPTIONS,
  extractFeatures,
  type FeatureOptions,
} from './feature.extractor.js';
import { murmur3 } from './hash.util.js';
import { linearLogit, sigmoid } from './linear.scorer.js';
import {
  DEFAULT_LOGISTIC_REGRESSION_OPTIONS,
  trainLogisticRegression,
  type LogisticRegressionOptions,
} from './logistic-regression.trainer.js';
import { confusionAt, metricsOf, rocAuc } from './metrics.util.js';
import type { FeedbackOptions, FoldReport, SparseColumn, SpamModel } from './spam-model.types.js';
import type { LinearWeights, TrainingExample } from './training.types.js';

/**
 * Training of the shipped model (pure: texts in, JSON-ready model out; no I/O, no clock, no
 * unseeded randomness, so the same inputs give the same model byte for byte).
 */

/** Labelled texts from one file (for YouTube, one video). */
export interface TrainingSource {
  readonly name: string;
  readonly sha256: string;
  readonly rows: readonly { readonly text: string; readonly label: 0 | 1 }[];
  /** How much each row counts; 0 leaves the source out. */
  readonly weight: number;
  /** Held out in turn in cross-validation (to measure generalisation and pick the threshold). */
  readonly holdOut: boolean;
}

export interface TrainingConfig {
  readonly features: FeatureOptions;
  readonly logisticRegression: LogisticRegressionOptions;
  /** Number of models (seeds `seed … seed + n - 1`) whose weights are averaged. */
  readonly averagedModels: number;
  /** The threshold maximises out-of-fold F1 with at most this false-positive rate. */
  readonly maxFalsePositiveRate: number;
  readonly feedback: FeedbackOptions;
}

/**
 * Bump when a code change alters which ids a text gets (normalisation, tokenisation, hashing,
 * cue lexicon), so feedback stored for the old ids is not mixed with the new ones.
 */
export const FEATURE_SPACE_VERSION = 2;

/** The settings chosen by measurement (see docs/spam.md). */
export const DEFAULT_TRAINING_CONFIG: TrainingConfig = {
  features: DEFAULT_FEATURE_OPTIONS,
  logisticRegression: DEFAULT_LOGISTIC_REGRESSION_OPTIONS,
  averagedModels: 5,
  maxFalsePositiveRate: 0.01,
  feedback: { strength: 2.5, smoothing: 0.5, maxShift: 8 },
};

/** Fingerprint of the options that decide feature ids (not their weights). */
export function featureSpaceOf(features: FeatureOptions): string {
  const { bits, words, wordBigrams, charMin, charMax, charMode, meta, cues } = features;
  const cueSummary = features.cueSummary ?? false;
  const key = JSON.stringify({
    v: FEATURE_SPACE_VERSION,
    bits,
    words,
    wordBigrams,
    charMin,
    charMax,
    charMode,
    meta,
    cues,
    ...(cueSummary ? { cueSummary } : {}),
  });
  return `v${FEATURE_SPACE_VERSION}-${murmur3(key).toString(16).padStart(8, '0')}`;
}

interface FeaturedSource {
  readonly source: TrainingSource;
  readonly examples: TrainingExample[];
}

function featurise(sources: readonly TrainingSource[], features: FeatureOptions): FeaturedSource[] {
  return sources
    .filter((s) => s.weight > 0)
    .map((source) => ({
      source,
      examples: source.rows.map((r) => ({
        features: extractFeatures(r.text, features),
        label: r.label,
        weight: source.weight,
      })),
    }));
}

/** Ids that can get a non-zero weight: those with a non-zero value in some example, ascending. */
function activeIds(examples: readonly TrainingExample[]): Uint32Array {
  const ids = new Set<number>();
  for (const { features } of examples) {
    for (let i = 0; i < features.ids.length; i++)
      if (features.values[i] !== 0) ids.add(features.ids[i] ?? 0);
  }
  return Uint32Array.from(ids).sort();
}

/** Logistic regression averaged over `config.averagedModels` seeds; also returns the active ids. */
function trainAveraged(
  examples: TrainingExample[],
  config: TrainingConfig,
): LinearWeights & { active: Uint32Array } {
  const { bits } = config.features;
  const k = Math.max(1, config.averagedModels);
  const active = activeIds(examples);
  const weights = new Float64Array(2 ** bits);
  let bias = 0;
  for (let i = 0; i < k; i++) {
    const m = trainLogisticRegression(examples, bits, {
      ...config.logisticRegression,
      seed: config.logisticRegression.seed + i,
    });
    bias += m.bias / k;
    for (const f of active) weights[f] = (weights[f] ?? 0) + (m.weights[f] ?? 0) / k;
  }
  return { bias, weights, input: 'values', active };
}

/** The threshold with the best F1 among those whose false-positive rate is within `maxFpr`. */
export function chooseThreshold(
  scores: readonly number[],
  labels: readonly number[],
  maxFpr: number,
): number {
  const candidates = Array.from(new Set(scores)).sort((a, b) => a - b);
  let best = { f1: -1, threshold: 1 };
  for (const t of candidates) {
    const m = metricsOf(confusionAt(scores, labels, t));
    if (m.fpr <= maxFpr && m.f1 > best.f1) best = { f1: m.f1, threshold: t };
  }
  return best.threshold;
}

const round = (x: number, digits: number): number => {
  const p = 10 ** digits;
  return Math.round(x * p) / p;
};

function sparse(entries: Iterable<readonly [number, number]>): SparseColumn {
  const idGaps: number[] = [];
  const values: number[] = [];
  let last = 0;
  for (const [id, value] of entries) {
    idGaps.push(id - last);
    values.push(value);
    last = id;
  }
  return { idGaps, values };
}

/** Out-of-fold scores: each hold-out source scored by a model trained on everything else. */
export function crossValidate(
  featured: readonly FeaturedSource[],
  config: TrainingConfig,
  onFold?: (done: number, total: number) => void,
): { name: string; scores: number[]; labels: number[] }[] {
  const heldOut = featured.filter((f) => f.source.holdOut);
  if (heldOut.length < 2) return [];
  return heldOut.map((test, i) => {
    const train = featured.filter((f) => f !== test).flatMap((f) => f.examples);
    const model = trainAveraged(train, config);
    onFold?.(i + 1, heldOut.length);
    return {
      name: test.source.name,
      scores: test.examples.map((e) => sigmoid(linearLogit(model, e.features))),
      labels: test.examples.map((e) => e.label),
    };
  });
}

/** Optional progress of `trainSpamModel` (the CLIs print it; tests pass nothing). */
export interface TrainingProgress {
  step(message: string): void;
  /** A cross-validation fold finished. */
  fold(done: number, total: number): void;
}

/**
 * Trains the shipped model: leave-one-source-out cross-validation over the hold-out sources
 * (to report generalisation and to choose the threshold on out-of-fold scores), then the
 * final model on every source.
 */
export function trainSpamModel(
  sources: readonly TrainingSource[],
  config: TrainingConfig = DEFAULT_TRAINING_CONFIG,
  report?: TrainingProgress,
): SpamModel {
  report?.step('featurising the sources');
  const featured = featurise(sources, config.features);
  const folds = crossValidate(featured, config, (done, total) => report?.fold(done, total));
  const pooledScores = folds.flatMap((f) => f.scores);
  const pooledLabels = folds.flatMap((f) => f.labels);
  const threshold = round(
    folds.length > 0
      ? chooseThreshold(pooledScores, pooledLabels, config.maxFalsePositiveRate)
      : 0.5,
    6,
  );
  const crossValidation: FoldReport[] = folds.map((f) => {
    const m = metricsOf(confusionAt(f.scores, f.labels, threshold));
    return {
      heldOut: f.name,
      n: m.n,
      auc: round(rocAuc(f.scores, f.labels), 4),
      precision: round(m.precision, 4),
      recall: round(m.recall, 4),
      f1: round(m.f1, 4),
      fpr: round(m.fpr, 4),
      accuracy: round(m.accuracy, 4),
      mcc: round(m.mcc, 4),
    };
  });

  const all = featured.flatMap((f) => f.examples);
  report?.step('training the final model on every source');
  const final = trainAveraged(all, config);
  const weightEntries: [number, number][] = [];
  for (const id of final.active) {
    const r = round(final.weights[id] ?? 0, 6);
    if (r !== 0) weightEntries.push([id, r]);
  }

  const df = new Map<number, number>();
  for (const e of all) {
    const end = e.features.wordCount + e.features.charCount;
    const seen = new Set<number>();
    for (let i = 0; i < end; i++) seen.add(e.features.ids[i] ?? 0);
    for (const id of seen) df.set(id, (df.get(id) ?? 0) + 1);
  }
  const dfEntries = Array.from(df).sort((a, b) => a[0] - b[0]);

  return {
    format: 'comment-spam-model',
    version: 1,
    featureSpace: featureSpaceOf(config.features),
    features: config.features,
    threshold,
    bias: round(final.bias, 6),
    weights: sparse(weightEntries),
    documentFrequency: { documents: all.length, ...sparse(dfEntries) },
    feedback: config.feedback,
    training: {
      sources: featured.map(({ source }) => ({
        name: source.name,
        sha256: source.sha256,
        rows: source.rows.length,
        spam: source.rows.filter((r) => r.label === 1).length,
        weight: source.weight,
        heldOutInCrossValidation: source.holdOut,
      })),
      logisticRegression: config.logisticRegression,
      averagedModels: config.averagedModels,
      maxFalsePositiveRate: config.maxFalsePositiveRate,
      crossValidation,
    },
  };
}

/** The training settings a model was built with (to retrain it, e.g. without one source). */
export function trainingConfigOf(model: SpamModel): TrainingConfig {
  return {
    features: model.features,
    logisticRegression: model.training.logisticRegression,
    averagedModels: model.training.averagedModels,
    maxFalsePositiveRate: model.training.maxFalsePositiveRate,
    feedback: model.feedback,
  };
}
