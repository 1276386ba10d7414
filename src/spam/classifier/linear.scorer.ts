import type { FeatureVector } from './feature.extractor.js';
import type { LinearWeights } from './training.types.js';

/** Log-odds of spam for a feature vector under a linear scorer. */
export function linearLogit(model: LinearWeights, features: FeatureVector): number {
  const { ids, values } = features;
  const { weights } = model;
  let sum = model.bias;
  if (model.input === 'binary') {
    for (let i = 0; i < ids.length; i++) sum += weights[ids[i] ?? 0] ?? 0;
  } else {
    for (let i = 0; i < ids.length; i++) {
      const v = values[i] ?? 0;
      if (v !== 0) sum += v * (weights[ids[i] ?? 0] ?? 0);
    }
  }
  return sum;
}

/** The logistic function, numerically stable at both ends. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
