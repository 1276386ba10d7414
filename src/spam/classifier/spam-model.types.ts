import type { FeatureOptions } from './feature.extractor.js';
import type { LogisticRegressionOptions } from './logistic-regression.trainer.js';

/**
 * Serialisable shapes of the spam classifier: the shipped model (JSON), the state learned from
 * moderators, and one moderator decision's change to it.
 */

/** A sparse vector: ascending feature ids stored as gaps (first id, then id[i] - id[i-1]). */
export interface SparseColumn {
  readonly idGaps: readonly number[];
  readonly values: readonly number[];
}

/** How strongly moderator feedback moves scores (see `docs/spam.md`, "Learning from moderators"). */
export interface FeedbackOptions {
  /** Log-odds added per unit of feedback evidence (the comment's average log count ratio). */
  readonly strength: number;
  /** Pseudo-count added to both labels' example counts of a feature before their ratio is taken. */
  readonly smoothing: number;
  /** Largest shift feedback may add or remove, in log-odds. */
  readonly maxShift: number;
}

/** Figures of one held-out source in the cross-validation run at training time. */
export interface FoldReport {
  readonly heldOut: string;
  readonly n: number;
  readonly auc: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly fpr: number;
  readonly accuracy: number;
  readonly mcc: number;
}

/** Where the model came from: its inputs (with hashes) and settings, and how it was checked. */
export interface TrainingReport {
  readonly sources: readonly {
    readonly name: string;
    readonly sha256: string;
    readonly rows: number;
    readonly spam: number;
    readonly weight: number;
    readonly heldOutInCrossValidation: boolean;
  }[];
  readonly logisticRegression: LogisticRegressionOptions;
  /** Models trained with seeds `seed, seed + 1, …` whose weights are averaged. */
  readonly averagedModels: number;
  /** The threshold is the one with the best F1 whose false-positive rate stays at or below this. */
  readonly maxFalsePositiveRate: number;
  /** Leave-one-source-out figures at `threshold` (out-of-fold scores of the held-out sources). */
  readonly crossValidation: readonly FoldReport[];
}

/** The shipped model: everything `SpamClassifier.load` needs, as plain JSON. */
export interface SpamModel {
  readonly format: 'comment-spam-model';
  readonly version: 1;
  /**
   * Fingerprint of how texts become feature ids. Learned state is only valid for the same
   * feature space; a model with other hashing or normalisation has another fingerprint.
   */
  readonly featureSpace: string;
  readonly features: FeatureOptions;
  /** `probability >= threshold` is classified as spam. */
  readonly threshold: number;
  readonly bias: number;
  /** Logistic-regression weights (non-zero ones only). */
  readonly weights: SparseColumn;
  /** In how many training comments each word / character feature occurs (prior for feedback). */
  readonly documentFrequency: SparseColumn & { readonly documents: number };
  readonly feedback: FeedbackOptions;
  readonly training: TrainingReport;
}

export type FeedbackLabel = 'spam' | 'ham';

/**
 * What one moderator decision changes: add (`weight: 1`) or withdraw (`weight: -1`) one
 * example of `label` containing `features`. Deltas are additive and commutative: applying a
 * set of them in any order gives the same state.
 */
export interface FeedbackDelta {
  readonly featureSpace: string;
  readonly label: FeedbackLabel;
  readonly weight: 1 | -1;
  /** Sorted, unique word and character feature ids of the comment. */
  readonly features: readonly number[];
}

/**
 * Everything learned from moderators: per-feature counts of spam and ham examples containing
 * the feature, and the number of examples of each label. The sum of all applied deltas.
 */
export interface LearnedState {
  readonly featureSpace: string;
  readonly spamExamples: number;
  readonly hamExamples: number;
  /** `[feature, spamCount, hamCount]`, ascending by feature, zero rows left out. */
  readonly counts: readonly (readonly [number, number, number])[];
}
