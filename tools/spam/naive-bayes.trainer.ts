import type {
  ClassCounts,
  LinearWeights,
  TrainingExample,
} from '../../src/spam/classifier/training.types.js';

export interface NaiveBayesOptions {
  /** Additive (Lidstone) smoothing. */
  readonly alpha: number;
  /**
   * `multinomial`: each present feature is one draw (binary multinomial NB);
   * `bernoulli`: presence and absence of every seen feature both count.
   */
  readonly variant: 'multinomial' | 'bernoulli';
  /** `uniform` ignores the training set's class balance; `empirical` uses it. */
  readonly prior: 'uniform' | 'empirical';
}

export const DEFAULT_NAIVE_BAYES_OPTIONS: NaiveBayesOptions = {
  alpha: 0.1,
  variant: 'multinomial',
  prior: 'uniform',
};

/** Document frequencies per class of a training set over a `2^bits` hashed space. */
export function countFeatures(examples: readonly TrainingExample[], bits: number): ClassCounts {
  const size = 2 ** bits;
  const spam = new Float64Array(size);
  const ham = new Float64Array(size);
  let spamDocs = 0;
  let hamDocs = 0;
  for (const { features, label, weight = 1 } of examples) {
    const target = label === 1 ? spam : ham;
    if (label === 1) spamDocs += weight;
    else hamDocs += weight;
    for (const f of features.ids) target[f] = (target[f] ?? 0) + weight;
  }
  return { spamDocs, hamDocs, spam, ham };
}

/** Naive Bayes log-odds weights from class counts, as a linear scorer. */
export function naiveBayesWeights(counts: ClassCounts, options: NaiveBayesOptions): LinearWeights {
  const { spam, ham, spamDocs, hamDocs } = counts;
  const { alpha } = options;
  const size = spam.length;
  const weights = new Float64Array(size);
  let prior = options.prior === 'empirical' ? Math.log((spamDocs + 1) / (hamDocs + 1)) : 0;

  if (options.variant === 'multinomial') {
    let spamTotal = 0;
    let hamTotal = 0;
    let vocabulary = 0;
    for (let f = 0; f < size; f++) {
      const s = spam[f] ?? 0;
      const h = ham[f] ?? 0;
      spamTotal += s;
      hamTotal += h;
      if (s + h > 0) vocabulary++;
    }
    const spamDenominator = Math.log(spamTotal + alpha * vocabulary);
    const hamDenominator = Math.log(hamTotal + alpha * vocabulary);
    for (let f = 0; f < size; f++) {
      weights[f] =
        Math.log((spam[f] ?? 0) + alpha) -
        spamDenominator -
        (Math.log((ham[f] ?? 0) + alpha) - hamDenominator);
    }
    return { bias: prior, weights, input: 'binary' };
  }

  // Bernoulli: logit = prior + Σ_all log((1-ps)/(1-ph)) + Σ_present [log(ps/ph) - log((1-ps)/(1-ph))]
  for (let f = 0; f < size; f++) {
    const s = spam[f] ?? 0;
    const h = ham[f] ?? 0;
    const ps = (s + alpha) / (spamDocs + 2 * alpha);
    const ph = (h + alpha) / (hamDocs + 2 * alpha);
    const absent = Math.log1p(-ps) - Math.log1p(-ph);
    if (s + h > 0) prior += absent;
    weights[f] = s + h > 0 ? Math.log(ps / ph) - absent : Math.log(ps / ph);
  }
  return { bias: prior, weights, input: 'binary' };
}
