/** Binary classification metrics, spam being the positive class. */

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface Metrics {
  n: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  mcc: number;
  /** Share of legitimate comments classified as spam (false-positive rate). */
  fpr: number;
  confusion: Confusion;
}

/** Counts the confusion matrix of `scores` against `labels` (1 = spam) at `threshold`. */
export function confusionAt(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const predicted = (scores[i] ?? 0) >= threshold;
    const actual = labels[i] === 1;
    if (predicted && actual) c.tp++;
    else if (predicted) c.fp++;
    else if (actual) c.fn++;
    else c.tn++;
  }
  return c;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** Precision, recall, F1, accuracy, MCC and false-positive rate of a confusion matrix. */
export function metricsOf(c: Confusion): Metrics {
  const n = c.tp + c.fp + c.tn + c.fn;
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  const f1 = ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);
  const denominator = Math.sqrt((c.tp + c.fp) * (c.tp + c.fn) * (c.tn + c.fp) * (c.tn + c.fn));
  const mcc = denominator === 0 ? 0 : (c.tp * c.tn - c.fp * c.fn) / denominator;
  return {
    n,
    precision,
    recall,
    f1,
    accuracy: ratio(c.tp + c.tn, n),
    mcc,
    fpr: ratio(c.fp, c.fp + c.tn),
    confusion: { ...c },
  };
}

/** Area under the ROC curve (ties count one half). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[a] ?? 0) - (scores[b] ?? 0),
  );
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    const value = scores[order[i] ?? 0] ?? 0;
    while (j + 1 < order.length && (scores[order[j + 1] ?? 0] ?? 0) === value) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k] ?? 0] === 1) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
