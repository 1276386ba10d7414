import type { FeatureVector } from './feature.extractor.js';

/** A labelled comment reduced to its hashed features. */
export interface TrainingExample {
  readonly features: FeatureVector;
  /** 1 = spam, 0 = ham. */
  readonly label: 0 | 1;
  /** How much the example counts (default 1). */
  readonly weight?: number;
}

/**
 * A linear scorer over hashed features: `logit = bias + Σ x_i * weights[id_i]`, where `x_i`
 * is the feature's value (`input: 'values'`) or 1 (`input: 'binary'`, as naive Bayes uses).
 */
export interface LinearWeights {
  readonly bias: number;
  readonly weights: Float64Array;
  readonly input: 'values' | 'binary';
}

/** Per-feature document frequencies by class: how many spam / ham examples contain each id. */
export interface ClassCounts {
  readonly spamDocs: number;
  readonly hamDocs: number;
  readonly spam: Float64Array;
  readonly ham: Float64Array;
}
