import {
  CLEAN,
  TOXICITY_CLASSES,
  type ClassFigures,
  type MulticlassReport,
  type ToxicityClass,
} from './toxicity-model.types.js';

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * Per-class precision/recall/F1, the confusion matrix, support-weighted and macro F1, and the
 * shares of clean and abusive rows held (predicted other than class 2).
 */
export function multiclassReport(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
): MulticlassReport {
  const k = TOXICITY_CLASSES.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const row = confusion[actual[i] ?? 0];
    const col = predicted[i] ?? 0;
    if (row) row[col] = (row[col] ?? 0) + 1;
  }
  const n = actual.length;
  const perClass = {} as Record<ToxicityClass, ClassFigures>;
  let weightedF1 = 0;
  let macroF1 = 0;
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]?.[c] ?? 0;
    correct += tp;
    const support = (confusion[c] ?? []).reduce((a, b) => a + b, 0);
    const predictedC = confusion.reduce((a, row) => a + (row[c] ?? 0), 0);
    const precision = ratio(tp, predictedC);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * tp, support + predictedC);
    perClass[TOXICITY_CLASSES[c]] = { precision, recall, f1, support };
    weightedF1 += ratio(support, n) * f1;
    macroF1 += f1 / k;
  }
  const clean = confusion[CLEAN] ?? [];
  const cleanRows = clean.reduce((a, b) => a + b, 0);
  let abusiveRows = 0;
  let abusiveHeld = 0;
  for (let c = 0; c < k; c++) {
    if (c === CLEAN) continue;
    const row = confusion[c] ?? [];
    abusiveRows += row.reduce((a, b) => a + b, 0);
    abusiveHeld += row.reduce((a, b, j) => a + (j === CLEAN ? 0 : b), 0);
  }
  return {
    n,
    perClass,
    confusion,
    weightedF1,
    macroF1,
    accuracy: ratio(correct, n),
    cleanHeld: ratio(cleanRows - (clean[CLEAN] ?? 0), cleanRows),
    abusiveHeld: ratio(abusiveHeld, abusiveRows),
  };
}

/**
 * The class a comment is given: clean (2) when its toxicity `1 − P(clean)` is under the
 * threshold, otherwise hate (0) when `P(hate) > hateRatio × P(offensive)`, else offensive (1).
 * (Hate is rare in training, so its probability runs low: a ratio under 1 makes up for it.)
 */
export function predictClass(
  probabilities: ArrayLike<number>,
  threshold: number,
  hateRatio = 1,
): number {
  const toxicity = 1 - (probabilities[CLEAN] ?? 0);
  if (toxicity < threshold) return CLEAN;
  return (probabilities[0] ?? 0) > hateRatio * (probabilities[1] ?? 0) ? 0 : 1;
}

/** Rounds every number of a report (for stable JSON). */
export function roundReport(report: MulticlassReport, digits = 4): MulticlassReport {
  const r = (x: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
  const perClass = Object.fromEntries(
    Object.entries(report.perClass).map(([name, f]) => [
      name,
      { precision: r(f.precision), recall: r(f.recall), f1: r(f.f1), support: f.support },
    ]),
  ) as Record<ToxicityClass, ClassFigures>;
  return {
    ...report,
    perClass,
    weightedF1: r(report.weightedF1),
    macroF1: r(report.macroF1),
    accuracy: r(report.accuracy),
    cleanHeld: r(report.cleanHeld),
    abusiveHeld: r(report.abusiveHeld),
  };
}
