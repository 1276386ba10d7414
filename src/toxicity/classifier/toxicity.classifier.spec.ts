import { statSync } from 'node:fs';
import { DEFAULT_TOXICITY_MODEL_PATH, loadToxicityModel } from '../model/toxicity-model.loader.js';
import { decodeLogFrequencies, dequantise, encodeFrequencies, quantise } from './quantise.js';
import { ToxicityClassifier } from './toxicity.classifier.js';

const model = loadToxicityModel();

describe('the shipped toxicity model', () => {
  it('is under 2 MB', () => {
    expect(statSync(DEFAULT_TOXICITY_MODEL_PATH).size).toBeLessThan(2 * 1024 * 1024);
  });

  it('was measured out of fold and meets its clean-held bound', () => {
    const cv = model.training.crossValidation;
    expect(model.training.folds).toBeGreaterThanOrEqual(5);
    expect(cv.cleanHeld).toBeLessThanOrEqual(0.05);
    expect(cv.weightedF1).toBeGreaterThan(0.88);
    expect(cv.n).toBe(14870);
  });

  it.each([
    'you stupid bitch',
    'shut up you f4ggot',
    'these hoes ain t loyal',
    'what a worthless piece of sh1t',
    'go back to africa n1gger',
  ])('holds %j', (text) => {
    const c = ToxicityClassifier.load(model);
    expect(c.score(text).held).toBe(true);
  });

  it.each([
    'The council meeting is on Tuesday at 7pm.',
    'Thanks for the thorough reporting on the budget.',
    'I disagree with the columnist about the bypass.',
  ])('does not hold %j', (text) => {
    expect(ToxicityClassifier.load(model).score(text).held).toBe(false);
  });

  it('gives three probabilities that add up to 1 and a toxicity of 1 − P(neither)', () => {
    const s = ToxicityClassifier.load(model).score('you stupid bitch');
    expect(s.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(s.toxicity).toBeCloseTo(1 - s.probabilities[2], 10);
    expect(s.feedbackShift).toBe(0);
  });
});

describe('lessons', () => {
  const text = 'the referee was a total clown today';

  it('a toxic lesson raises the score of what resembles it, a clean one lowers it', () => {
    const plain = ToxicityClassifier.load(model).score(text).toxicity;
    const toxic = ToxicityClassifier.load(model);
    toxic.apply(toxic.lessonFor(text, 'toxic'));
    expect(toxic.score(text).feedbackShift).toBeGreaterThan(0);
    expect(toxic.score(text).toxicity).toBeGreaterThan(plain);

    const clean = ToxicityClassifier.load(model);
    clean.apply(clean.lessonFor(text, 'clean'));
    expect(clean.score(text).feedbackShift).toBeLessThan(0);
    expect(clean.score(text).toxicity).toBeLessThan(plain);
  });

  it('counts in any order the same (replicas agree)', () => {
    const a = ToxicityClassifier.load(model);
    const lessons = [
      a.lessonFor(text, 'toxic'),
      a.lessonFor('what a clown show', 'clean'),
      a.lessonFor(text, 'toxic'),
    ];
    const b = ToxicityClassifier.load(model, lessons);
    const c = ToxicityClassifier.load(model, [...lessons].reverse());
    expect(b.score(text)).toEqual(c.score(text));
  });

  it('clamps the shift to maxShift', () => {
    const lesson = ToxicityClassifier.load(model).lessonFor(text, 'toxic');
    const c = ToxicityClassifier.load(
      model,
      Array.from({ length: 5000 }, () => lesson),
    );
    expect(c.score(text).feedbackShift).toBeLessThanOrEqual(model.feedback.maxShift);
  });

  it('leaves texts that share nothing with the lessons alone', () => {
    const c = ToxicityClassifier.load(model);
    c.apply(c.lessonFor(text, 'toxic'));
    expect(c.score('').feedbackShift).toBe(0);
  });

  it('refuses a lesson from another feature space', () => {
    const c = ToxicityClassifier.load(model);
    expect(() => c.apply({ featureSpace: 'tox0-00000000', label: 'toxic', features: [1] })).toThrow(
      /feature space/,
    );
  });

  it('holds sorted unique word and character ids', () => {
    const { features } = ToxicityClassifier.load(model).lessonFor('clown clown', 'toxic');
    expect(features.length).toBeGreaterThan(0);
    expect([...features].sort((x, y) => x - y)).toEqual(features);
    expect(new Set(features).size).toBe(features.length);
  });

  it('refuses a file of another format', () => {
    expect(() => ToxicityClassifier.load({ ...model, format: 'nope' } as never)).toThrow(
      /comment-toxicity-model/,
    );
  });
});

describe('quantisation', () => {
  it('keeps signs, zero and the largest weight exactly, and small weights finely', () => {
    const weights = [0, 2, -2, 0.02, -0.5, 1e-9];
    const q = quantise(weights);
    const back = dequantise(q, weights.length);
    expect(q.scale).toBe(2);
    expect(back[0]).toBe(0);
    expect(back[1]).toBe(2);
    expect(back[2]).toBe(-2);
    expect(back[3]).toBeGreaterThan(0);
    expect(Math.abs((back[3] ?? 0) - 0.02)).toBeLessThan(0.01);
    expect(Math.abs((back[4] ?? 0) + 0.5)).toBeLessThan(0.02);
  });

  it('stores all-zero weights with a zero scale', () => {
    const q = quantise([0, 0]);
    expect(q.scale).toBe(0);
    expect(Array.from(dequantise(q, 2))).toEqual([0, 0]);
  });

  it('refuses a column of the wrong size', () => {
    expect(() => dequantise(quantise([1, 2]), 3)).toThrow(/expected 3/);
    expect(() => decodeLogFrequencies(encodeFrequencies([1]), 2)).toThrow(/expected 2/);
  });

  it('stores document frequencies on a log scale, capped at one byte', () => {
    const back = decodeLogFrequencies(encodeFrequencies([0, 1, 1e30]), 3);
    expect(back[0]).toBe(0);
    expect(back[1]).toBeCloseTo(Math.log(2), 5);
    expect(back[2]).toBeCloseTo((255 / 16) * Math.LN2, 5);
  });
});
