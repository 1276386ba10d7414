import { mulberry32, shuffleInPlace } from './hash.util.js';
import { sigmoid } from './linear.scorer.js';
import type { LinearWeights, TrainingExample } from './training.types.js';

export interface LogisticRegressionOptions {
  /** Passes over the training set. */
  readonly epochs: number;
  /** AdaGrad base step size. */
  readonly learningRate: number;
  /** L2 penalty per example (applied to the weights an example touches). */
  readonly l2: number;
  /** Weight both classes equally whatever their share of the training set. */
  readonly balanceClasses: boolean;
  /** Seed of the example order; the same seed and data give the same weights. */
  readonly seed: number;
}

/** The shipped model's settings (see docs/spam.md). */
export const DEFAULT_LOGISTIC_REGRESSION_OPTIONS: LogisticRegressionOptions = {
  epochs: 20,
  learningRate: 0.5,
  l2: 1e-4,
  balanceClasses: true,
  seed: 1,
};

/**
 * Logistic regression on hashed features (group-normalised values), trained by AdaGrad SGD over a
 * seeded shuffle (deterministic: same examples in the same order and options give the same
 * weights bit for bit).
 */
export function trainLogisticRegression(
  examples: readonly TrainingExample[],
  bits: number,
  options: LogisticRegressionOptions = DEFAULT_LOGISTIC_REGRESSION_OPTIONS,
): LinearWeights {
  const size = 2 ** bits;
  const weights = new Float64Array(size);
  const squares = new Float64Array(size);
  let bias = 0;
  let biasSquares = 0;
  const eps = 1e-8;

  let spam = 0;
  let ham = 0;
  for (const e of examples) {
    if (e.label === 1) spam += e.weight ?? 1;
    else ham += e.weight ?? 1;
  }
  const spamWeight = options.balanceClasses && spam > 0 ? (spam + ham) / (2 * spam) : 1;
  const hamWeight = options.balanceClasses && ham > 0 ? (spam + ham) / (2 * ham) : 1;

  const random = mulberry32(options.seed);
  const order = examples.map((_, i) => i);
  const { l2, learningRate } = options;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const index of order) {
      const example = examples[index];
      if (!example) continue;
      const { ids, values } = example.features;
      const label = example.label;
      let z = bias;
      for (let i = 0; i < ids.length; i++) {
        const v = values[i] ?? 0;
        if (v !== 0) z += v * (weights[ids[i] ?? 0] ?? 0);
      }
      const g =
        (sigmoid(z) - label) * (label === 1 ? spamWeight : hamWeight) * (example.weight ?? 1);
      // Features of value 0 (a group of weight 0) neither score nor learn.
      for (let i = 0; i < ids.length; i++) {
        const v = values[i] ?? 0;
        if (v === 0) continue;
        const f = ids[i] ?? 0;
        const w = weights[f] ?? 0;
        const grad = g * v + l2 * w;
        const s = (squares[f] ?? 0) + grad * grad;
        squares[f] = s;
        weights[f] = w - (learningRate * grad) / (Math.sqrt(s) + eps);
      }
      biasSquares += g * g;
      bias -= (learningRate * g) / (Math.sqrt(biasSquares) + eps);
    }
  }
  return { bias, weights, input: 'values' };
}
