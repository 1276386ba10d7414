import type { FeatureOptions } from '../../spam/classifier/feature.extractor.js';
import type { SoftmaxOptions } from './softmax.trainer.js';

/** The corpus's classes, in the order of its `class` column (Davidson et al. 2017). */
export const TOXICITY_CLASSES = ['hate', 'offensive', 'neither'] as const;
export type ToxicityClass = (typeof TOXICITY_CLASSES)[number];
/** Index of the clean class. */
export const CLEAN = 2;

/** Per-class precision, recall, F1 and support. */
export interface ClassFigures {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** Three-class figures of predictions against labels. */
export interface MulticlassReport {
  readonly n: number;
  readonly perClass: Readonly<Record<ToxicityClass, ClassFigures>>;
  /** `confusion[actual][predicted]`. */
  readonly confusion: readonly (readonly number[])[];
  readonly weightedF1: number;
  readonly macroF1: number;
  readonly accuracy: number;
  /** Share of clean (class 2) rows held. */
  readonly cleanHeld: number;
  /** Share of abusive (class 0 or 1) rows held. */
  readonly abusiveHeld: number;
}

/** Where the model came from and how it was checked. */
export interface ToxicityTrainingReport {
  readonly sources: readonly {
    readonly name: string;
    readonly sha256: string;
    readonly rows: number;
    readonly byClass: readonly number[];
    /** Training text only: never scored, not in the figures (see `ToxicitySource`). */
    readonly auxiliary?: boolean;
  }[];
  readonly softmax: SoftmaxOptions;
  readonly folds: number;
  readonly foldSeed: number;
  /** The threshold maximises out-of-fold weighted F1 with at most this share of clean rows held. */
  readonly maxCleanHeld: number;
  /** NB-LR smoothing, when the features were scaled by naive-Bayes log-count ratios in training. */
  readonly naiveBayes?: { readonly alpha: number } | null;
  /** Weight of each auxiliary (everyday clean) row in training, when there are any. */
  readonly auxiliaryWeight?: number;
  /** Out-of-fold figures at the threshold (each row scored by a model that never saw it). */
  readonly crossValidation: MulticlassReport;
}

/**
 * The shipped toxicity model, as plain JSON: a multinomial logistic regression over hashed
 * features (trained on naive-Bayes-scaled features, the scaling folded into the weights). Weights are stored relative to the clean class (softmax is unchanged by adding the
 * same vector to every class), one dense array per abusive class, each quantised to 8 bits
 * with square-root companding (`w = sign(q) × (|q| / 127)² × scale`) and base64-encoded.
 */
export interface ToxicityModel {
  readonly format: 'comment-toxicity-model';
  readonly version: 1;
  /** Fingerprint of how texts become feature ids; lessons are only valid for the same value. */
  readonly featureSpace: string;
  readonly features: FeatureOptions;
  readonly classes: readonly ToxicityClass[];
  /** `1 − P(neither) >= threshold` is held. */
  readonly threshold: number;
  /** A held comment is called hate when `P(hate) > hateRatio × P(offensive)`. */
  readonly hateRatio: number;
  /** Bias of `hate` and `offensive` relative to `neither`. */
  readonly bias: readonly [number, number];
  readonly weights: readonly [QuantisedColumn, QuantisedColumn];
  /**
   * In how many training texts each id occurs, as `round(16 × log2(1 + n))` in one byte per
   * id, base64 (the prior that makes lessons count by how rare their words are).
   */
  readonly documentFrequency: { readonly documents: number; readonly data: string };
  readonly feedback: {
    readonly strength: number;
    readonly smoothing: number;
    readonly maxShift: number;
  };
  readonly training: ToxicityTrainingReport;
}

export interface QuantisedColumn {
  readonly scale: number;
  /** base64 of one signed byte per id. */
  readonly data: string;
}

export type ToxicityLabel = 'toxic' | 'clean';
