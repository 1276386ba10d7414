import { mulberry32, shuffleInPlace } from '../../spam/classifier/hash.util.js';
import type { FeatureVector } from '../../spam/classifier/feature.extractor.js';

/** A text reduced to its hashed features, with its class (0 … classes - 1). */
export interface MulticlassExample {
  readonly features: FeatureVector;
  readonly label: number;
  /**
   * Optional soft target: the share of annotators who chose each class (for example 1 hate, 2
   * offensive of 3 votes). Without it the target is the label alone.
   */
  readonly target?: readonly number[];
  /** How much the example counts in the loss (1 when absent). */
  readonly weight?: number;
}

export interface SoftmaxOptions {
  /** Passes over the training set. */
  readonly epochs: number;
  /** AdaGrad base step size. */
  readonly learningRate: number;
  /** L2 penalty per example (applied to the weights an example touches). */
  readonly l2: number;
  /** Weight every class equally whatever its share (`true`), or as it comes (`false`). */
  readonly balanceClasses: boolean;
  /** Seed of the example order; the same seed and data give the same weights. */
  readonly seed: number;
}

/** Weights of a multinomial logistic regression: `weights[c * size + id]`, `bias[c]`. */
export interface SoftmaxWeights {
  readonly classes: number;
  readonly size: number;
  readonly bias: Float64Array;
  readonly weights: Float64Array;
}

/** Class logits of a feature vector. */
export function softmaxLogits(model: SoftmaxWeights, features: FeatureVector): Float64Array {
  const { classes, size, weights } = model;
  const z = Float64Array.from(model.bias);
  const { ids, values } = features;
  for (let i = 0; i < ids.length; i++) {
    const v = values[i] ?? 0;
    if (v === 0) continue;
    const id = ids[i] ?? 0;
    for (let c = 0; c < classes; c++) z[c] = (z[c] ?? 0) + v * (weights[c * size + id] ?? 0);
  }
  return z;
}

/** Probabilities from logits, in place (numerically stable). */
export function softmaxInPlace(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp((z[c] ?? 0) - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) z[c] = (z[c] ?? 0) / sum;
  return z;
}

/**
 * Multinomial logistic regression on hashed features, trained by AdaGrad SGD over a seeded
 * shuffle: deterministic (same examples, order and options give the same weights bit for bit).
 */
export function trainSoftmax(
  examples: readonly MulticlassExample[],
  classes: number,
  bits: number,
  options: SoftmaxOptions,
): SoftmaxWeights {
  const size = 2 ** bits;
  const weights = new Float64Array(size * classes);
  const squares = new Float64Array(size * classes);
  const bias = new Float64Array(classes);
  const biasSquares = new Float64Array(classes);
  const eps = 1e-8;
  const counts = new Float64Array(classes);
  for (const e of examples) counts[e.label] = (counts[e.label] ?? 0) + 1;
  const classWeight = Array.from(counts, (n) =>
    options.balanceClasses && n > 0 ? examples.length / (classes * n) : 1,
  );
  const random = mulberry32(options.seed);
  const order = examples.map((_, i) => i);
  const { l2, learningRate } = options;
  const model = { classes, size, bias, weights };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const index of order) {
      const example = examples[index];
      if (!example) continue;
      const p = softmaxInPlace(softmaxLogits(model, example.features));
      const w = (classWeight[example.label] ?? 1) * (example.weight ?? 1);
      const { ids, values } = example.features;
      for (let c = 0; c < classes; c++) {
        const y = example.target ? (example.target[c] ?? 0) : c === example.label ? 1 : 0;
        const g = ((p[c] ?? 0) - y) * w;
        const offset = c * size;
        for (let i = 0; i < ids.length; i++) {
          const v = values[i] ?? 0;
          if (v === 0) continue;
          const f = offset + (ids[i] ?? 0);
          const wf = weights[f] ?? 0;
          const grad = g * v + l2 * wf;
          const s = (squares[f] ?? 0) + grad * grad;
          squares[f] = s;
          weights[f] = wf - (learningRate * grad) / (Math.sqrt(s) + eps);
        }
        biasSquares[c] = (biasSquares[c] ?? 0) + g * g;
        bias[c] = (bias[c] ?? 0) - (learningRate * g) / (Math.sqrt(biasSquares[c] ?? 0) + eps);
      }
    }
  }
  return model;
}
