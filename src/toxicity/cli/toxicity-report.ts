import { TOXICITY_CLASSES, type MulticlassReport } from '../classifier/toxicity-model.types.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const pad = (s: string | number, n: number): string => String(s).padStart(n);

/** Per-class figures, the confusion matrix and the summary of a report, as text. */
export function printReport(r: MulticlassReport): void {
  console.log(`  class        precision  recall     F1  support`);
  for (const name of TOXICITY_CLASSES) {
    const f = r.perClass[name];
    console.log(
      `  ${name.padEnd(10)} ${pad(f.precision.toFixed(3), 10)} ${pad(f.recall.toFixed(3), 7)} ${pad(f.f1.toFixed(3), 6)} ${pad(f.support, 8)}`,
    );
  }
  console.log(`  confusion (rows actual, columns predicted: ${TOXICITY_CLASSES.join(', ')})`);
  r.confusion.forEach((row, i) => {
    console.log(
      `  ${(TOXICITY_CLASSES[i] ?? '').padEnd(10)} ${row.map((v) => pad(v, 7)).join('')}`,
    );
  });
  console.log(
    `  weighted F1 ${r.weightedF1.toFixed(4)}  macro F1 ${r.macroF1.toFixed(4)}  accuracy ${r.accuracy.toFixed(4)}  clean held ${pct(r.cleanHeld)}  abusive held ${pct(r.abusiveHeld)}`,
  );
}

/**
 * Classifications per CPU-second of `score` over `texts` (after a warm-up of 500), measured in
 * this process's CPU time over at least one CPU-second, so other processes' load does not count.
 */
export function classificationsPerCpuSecond(
  texts: readonly string[],
  score: (text: string) => unknown,
): number {
  for (const t of texts.slice(0, 500)) score(t);
  let done = 0;
  const start = process.cpuUsage();
  let used = 0;
  while (used < 1_000_000) {
    for (const t of texts) score(t);
    done += texts.length;
    const u = process.cpuUsage(start);
    used = u.user + u.system;
  }
  return done / (used / 1e6);
}
