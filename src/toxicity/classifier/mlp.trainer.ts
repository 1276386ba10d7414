import type { FeatureVector } from '../../spam/classifier/feature.extractor.js';
import { mulberry32, shuffleInPlace } from '../../spam/classifier/hash.util.js';
import type { MulticlassExample } from './softmax.trainer.js';

/**
 * A small non-linear option measured against the shipped linear model (`toxicity:compare`,
 * docs/moderation-quality.md): a multi-layer perceptron with one hidden layer over the same
 * hashed features, `softmax(W2 · act(b1 + Σ value · W1[id]) + b2)`. Trained by AdaGrad SGD over a
 * seeded shuffle, so the same examples and options give the same weights bit for bit. Not
 * shipped: it scored below the NB-LR model in cross-validation at several times its cost.
 */
export interface MlpOptions {
  /** Hidden units. */
  readonly hidden: number;
  readonly epochs: number;
  /** AdaGrad base step size. */
  readonly learningRate: number;
  /** Half-width of the uniform initialisation of the input layer. */
  readonly init: number;
  /** L2 penalty per example (applied to the weights an example touches). */
  readonly l2: number;
  readonly activation: 'relu' | 'tanh';
  readonly seed: number;
}

export const DEFAULT_MLP_OPTIONS: MlpOptions = {
  hidden: 32,
  epochs: 3,
  learningRate: 0.02,
  init: 0.1,
  l2: 0,
  activation: 'relu',
  seed: 1,
};

/** A trained perceptron: class probabilities of a feature vector, and its parameter count. */
export interface Mlp {
  readonly probabilities: (features: FeatureVector) => [number, number, number];
  /** Weights and biases (what a model file would store). */
  readonly parameters: number;
}

const CLASSES = 3;

/** Trains a one-hidden-layer perceptron over features hashed into `2^bits` ids. */
export function trainMlp(
  examples: readonly MulticlassExample[],
  bits: number,
  options: MlpOptions = DEFAULT_MLP_OPTIONS,
): Mlp {
  const size = 2 ** bits;
  const mask = size - 1;
  const H = options.hidden;
  const random = mulberry32(options.seed);
  const w1 = new Float32Array(size * H);
  const g1 = new Float32Array(size * H);
  for (let i = 0; i < w1.length; i++) w1[i] = (random() * 2 - 1) * options.init;
  const b1 = new Float64Array(H);
  const gb1 = new Float64Array(H);
  const w2 = new Float64Array(H * CLASSES);
  const g2 = new Float64Array(H * CLASSES);
  const glorot = Math.sqrt(6 / (H + CLASSES));
  for (let i = 0; i < w2.length; i++) w2[i] = (random() * 2 - 1) * glorot;
  const b2 = new Float64Array(CLASSES);
  const gb2 = new Float64Array(CLASSES);
  const h = new Float64Array(H);
  const dh = new Float64Array(H);
  const p = new Float64Array(CLASSES);
  const relu = options.activation === 'relu';
  const eps = 1e-8;
  const { learningRate: lr, l2 } = options;

  const forward = (features: FeatureVector): Float64Array => {
    h.set(b1);
    const { ids, values } = features;
    for (let i = 0; i < ids.length; i++) {
      const v = values[i] ?? 0;
      if (v === 0) continue;
      const offset = ((ids[i] ?? 0) & mask) * H;
      for (let j = 0; j < H; j++) h[j] = (h[j] ?? 0) + v * (w1[offset + j] ?? 0);
    }
    for (let j = 0; j < H; j++) {
      const x = h[j] ?? 0;
      h[j] = relu ? Math.max(0, x) : Math.tanh(x);
    }
    let max = -Infinity;
    for (let c = 0; c < CLASSES; c++) {
      let z = b2[c] ?? 0;
      for (let j = 0; j < H; j++) z += (h[j] ?? 0) * (w2[j * CLASSES + c] ?? 0);
      p[c] = z;
      max = Math.max(max, z);
    }
    let sum = 0;
    for (let c = 0; c < CLASSES; c++) {
      const e = Math.exp((p[c] ?? 0) - max);
      p[c] = e;
      sum += e;
    }
    for (let c = 0; c < CLASSES; c++) p[c] = (p[c] ?? 0) / sum;
    return p;
  };

  const step = (
    weights: Float32Array | Float64Array,
    squares: typeof weights,
    k: number,
    grad: number,
  ): void => {
    const s = (squares[k] ?? 0) + grad * grad;
    squares[k] = s;
    weights[k] = (weights[k] ?? 0) - (lr * grad) / (Math.sqrt(s) + eps);
  };

  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const index of order) {
      const example = examples[index];
      if (!example) continue;
      const probabilities = forward(example.features);
      const weight = example.weight ?? 1;
      dh.fill(0);
      for (let c = 0; c < CLASSES; c++) {
        const g = ((probabilities[c] ?? 0) - (c === example.label ? 1 : 0)) * weight;
        for (let j = 0; j < H; j++) {
          const k = j * CLASSES + c;
          dh[j] = (dh[j] ?? 0) + g * (w2[k] ?? 0);
          step(w2, g2, k, g * (h[j] ?? 0) + l2 * (w2[k] ?? 0));
        }
        step(b2, gb2, c, g);
      }
      for (let j = 0; j < H; j++) {
        const x = h[j] ?? 0;
        dh[j] = (dh[j] ?? 0) * (relu ? (x > 0 ? 1 : 0) : 1 - x * x);
      }
      const { ids, values } = example.features;
      for (let i = 0; i < ids.length; i++) {
        const v = values[i] ?? 0;
        if (v === 0) continue;
        const offset = ((ids[i] ?? 0) & mask) * H;
        for (let j = 0; j < H; j++) {
          const k = offset + j;
          step(w1, g1, k, v * (dh[j] ?? 0) + l2 * (w1[k] ?? 0));
        }
      }
      for (let j = 0; j < H; j++) step(b1, gb1, j, dh[j] ?? 0);
    }
  }
  return {
    probabilities: (features) => {
      const out = forward(features);
      return [out[0] ?? 0, out[1] ?? 0, out[2] ?? 0];
    },
    parameters: w1.length + b1.length + w2.length + b2.length,
  };
}
