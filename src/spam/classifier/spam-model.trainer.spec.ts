import { SpamClassifier } from './spam.classifier.js';
import {
  chooseThreshold,
  DEFAULT_TRAINING_CONFIG,
  trainingConfigOf,
  trainSpamModel,
  type TrainingConfig,
  type TrainingSource,
} from './spam-model.trainer.js';

// Small made-up corpora (three "videos") so training takes milliseconds.
const SPAM = [
  'check out my channel {n} please subscribe',
  'subscribe to me and i will subscribe back {n}',
  'visit www.deal{n}.example for free gift cards',
  'please watch my new music video {n}',
  'like this comment if you want {n} free followers',
];
const HAM = [
  'this song reminds me of summer {n}',
  'the chorus at the end is the best part {n}',
  'who is watching this in {n}',
  'i love the dance moves in this video {n}',
  'the singer sounds amazing live {n}',
];
function source(name: string, offset: number): TrainingSource {
  const rows = [];
  for (let i = 0; i < 8; i++) {
    const n = String(offset + i);
    rows.push({ text: (SPAM[i % SPAM.length] ?? '').replace('{n}', n), label: 1 as const });
    rows.push({ text: (HAM[i % HAM.length] ?? '').replace('{n}', n), label: 0 as const });
  }
  return { name, sha256: `sha-${name}`, rows, weight: 1, holdOut: true };
}
const SOURCES = [source('a.csv', 0), source('b.csv', 100), source('c.csv', 200)];
const FAST: TrainingConfig = {
  ...DEFAULT_TRAINING_CONFIG,
  features: { ...DEFAULT_TRAINING_CONFIG.features, bits: 16 },
  logisticRegression: { ...DEFAULT_TRAINING_CONFIG.logisticRegression, epochs: 5 },
  averagedModels: 2,
};

describe('trainSpamModel', () => {
  it('is deterministic: the same data and settings give the same JSON, byte for byte', () => {
    const a = JSON.stringify(trainSpamModel(SOURCES, FAST));
    const b = JSON.stringify(trainSpamModel(SOURCES, FAST));
    expect(a).toBe(b);
  });

  it('survives a JSON round trip with identical scores', () => {
    const model = trainSpamModel(SOURCES, FAST);
    const copy = SpamClassifier.load(JSON.parse(JSON.stringify(model)) as typeof model);
    const original = SpamClassifier.load(model);
    for (const text of ['check out my channel 7 please subscribe', 'the chorus is lovely', '']) {
      expect(copy.probability(text)).toBe(original.probability(text));
    }
    expect(trainingConfigOf(model)).toEqual(FAST);
  });

  it('learns the difference and reports one cross-validation fold per held-out source', () => {
    const model = trainSpamModel(SOURCES, FAST);
    const classifier = SpamClassifier.load(model);
    expect(classifier.isSpam('check out my channel 999 please subscribe')).toBe(true);
    expect(classifier.isSpam('the chorus at the end is the best part 999')).toBe(false);
    expect(model.training.crossValidation.map((f) => f.heldOut)).toEqual([
      'a.csv',
      'b.csv',
      'c.csv',
    ]);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThanOrEqual(1);
    expect(model.weights.idGaps.every((gap, i) => gap > 0 || (i === 0 && gap >= 0))).toBe(true);
  });

  it('leaves out sources of weight 0', () => {
    const model = trainSpamModel([...SOURCES, { ...source('ignored.csv', 300), weight: 0 }], FAST);
    expect(model.training.sources.map((s) => s.name)).toEqual(['a.csv', 'b.csv', 'c.csv']);
    expect(model.documentFrequency.documents).toBe(48);
  });
});

describe('chooseThreshold', () => {
  it('takes the best F1 whose false-positive rate stays within the limit', () => {
    const scores = [0.95, 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05];
    const labels = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0];
    expect(chooseThreshold(scores, labels, 0)).toBe(0.8);
    expect(chooseThreshold(scores, labels, 0.2)).toBe(0.4);
  });
});
