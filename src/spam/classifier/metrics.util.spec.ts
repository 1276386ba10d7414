import { confusionAt, metricsOf, rocAuc } from './metrics.util.js';

describe('metrics', () => {
  it('counts the confusion matrix at a threshold (spam positive, score >= threshold)', () => {
    expect(confusionAt([0.9, 0.6, 0.5, 0.2, 0.7], [1, 0, 1, 0, 1], 0.6)).toEqual({
      tp: 2,
      fp: 1,
      tn: 1,
      fn: 1,
    });
  });

  it('derives precision, recall, F1, accuracy, MCC and the false-positive rate', () => {
    const m = metricsOf({ tp: 90, fp: 10, tn: 80, fn: 20 });
    expect(m.n).toBe(200);
    expect(m.precision).toBeCloseTo(0.9, 12);
    expect(m.recall).toBeCloseTo(90 / 110, 12);
    expect(m.f1).toBeCloseTo(180 / 210, 12);
    expect(m.accuracy).toBeCloseTo(0.85, 12);
    expect(m.fpr).toBeCloseTo(10 / 90, 12);
    expect(m.mcc).toBeCloseTo((90 * 80 - 10 * 20) / Math.sqrt(100 * 110 * 90 * 100), 12);
  });

  it('returns 0 rather than NaN for empty classes', () => {
    const m = metricsOf({ tp: 0, fp: 0, tn: 5, fn: 0 });
    expect([m.precision, m.recall, m.f1, m.mcc]).toEqual([0, 0, 0, 0]);
  });

  it('computes ROC AUC with ties counted half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBeCloseTo(0.5, 12);
  });
});
