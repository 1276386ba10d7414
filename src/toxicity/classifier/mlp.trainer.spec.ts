import { TOXICITY_FEATURE_OPTIONS, toxicityFeatures } from './toxicity.features.js';
import { DEFAULT_MLP_OPTIONS, trainMlp } from './mlp.trainer.js';
import type { MulticlassExample } from './softmax.trainer.js';

const BITS = 10;
const TEXTS: [string, number][] = [
  ['you filthy vermin go home', 0],
  ['send the vermin back', 0],
  ['shut up bitch', 1],
  ['this hoe is trash', 1],
  ['lovely weather today', 2],
  ['great reporting thanks', 2],
];
const examples: MulticlassExample[] = TEXTS.map(([text, label]) => ({
  features: toxicityFeatures(text, { ...TOXICITY_FEATURE_OPTIONS, bits: BITS }),
  label,
}));
const options = { ...DEFAULT_MLP_OPTIONS, hidden: 8, epochs: 30, learningRate: 0.1 };

describe('trainMlp', () => {
  it('learns its training rows: each gets its own class as the most probable', () => {
    const mlp = trainMlp(examples, BITS, options);
    for (const e of examples) {
      const p = mlp.probabilities(e.features);
      expect(p.indexOf(Math.max(...p))).toBe(e.label);
      expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 12);
    }
  });

  it('is deterministic for a seed, and another seed gives other weights', () => {
    const a = trainMlp(examples, BITS, options).probabilities(examples[0].features);
    const b = trainMlp(examples, BITS, options).probabilities(examples[0].features);
    const c = trainMlp(examples, BITS, { ...options, seed: 2 }).probabilities(examples[0].features);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('counts its parameters (what a model file would store)', () => {
    expect(trainMlp(examples, BITS, { ...options, epochs: 0 }).parameters).toBe(
      2 ** BITS * 8 + 8 + 8 * 3 + 3,
    );
  });

  it('trains with tanh units too, and leaves an untrained model near uniform', () => {
    const tanh = trainMlp(examples, BITS, { ...options, activation: 'tanh' });
    const p = tanh.probabilities(examples[4].features);
    expect(p.indexOf(Math.max(...p))).toBe(2);
    const untrained = trainMlp(examples, BITS, { ...options, epochs: 0, init: 0 });
    for (const x of untrained.probabilities(examples[0].features)) expect(x).toBeGreaterThan(0.05);
  });
});
