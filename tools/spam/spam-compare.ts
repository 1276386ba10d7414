/**
 * Measures candidate methods by leave-one-video-out cross-validation and prints the table in
 * docs/spam.md. For every held-out file, each method is trained on the other files; its
 * threshold is chosen the way the shipped model's is (best F1 with at most 1 % false
 * positives on out-of-fold scores; `--max-fpr` changes the bound), but only from the training files (an inner
 * leave-one-out), so the held-out file never influences any choice.
 *
 *   npm run spam:compare [-- --data DIR] [--extra FILE.csv …] [--only NAME,NAME] [--feedback]
 *                        [--max-fpr 0.01]
 *
 * `--feedback` instead replays each held-out file in order as a stream moderated by people:
 * each comment is scored, then every spam comment is reported as spam and every legitimate
 * comment the filter blocked is approved, and the classifier learns from those decisions;
 * it prints the stream's figures without and with that learning.
 *
 * `--extra` adds a training-only file (never held out), for the "+ SMS" rows:
 *   npm run spam:compare -- --extra ../shared/data/spam/sms_spam_collection_dev.csv
 */
import { parseArgs } from 'node:util';
import {
  extractFeatures,
  type FeatureOptions,
  type FeatureVector,
} from '../../src/spam/classifier/feature.extractor.js';
import { linearLogit, sigmoid } from '../../src/spam/classifier/linear.scorer.js';
import { trainLogisticRegression } from '../../src/spam/classifier/logistic-regression.trainer.js';
import {
  confusionAt,
  metricsOf,
  rocAuc,
  type Confusion,
} from '../../src/spam/classifier/metrics.util.js';
import { countFeatures, naiveBayesWeights, type NaiveBayesOptions } from './naive-bayes.trainer.js';
import { SpamClassifier } from '../../src/spam/classifier/spam.classifier.js';
import {
  chooseThreshold,
  DEFAULT_TRAINING_CONFIG,
  trainSpamModel,
} from '../../src/spam/classifier/spam-model.trainer.js';
import { cleanText } from '../../src/spam/classifier/text.normalizer.js';
import type { LinearWeights, TrainingExample } from '../../src/spam/classifier/training.types.js';
import {
  readLabelledCsv,
  readLabelledDirectory,
  type LabelledSource,
} from '../../src/spam/cli/labelled-csv.reader.js';
import { TRAINING_DATA_DIR } from '../../src/spam/cli/project.paths.js';
import { progress } from '../../src/common/cli/progress.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: TRAINING_DATA_DIR },
    extra: { type: 'string', multiple: true, default: [] },
    only: { type: 'string' },
    feedback: { type: 'boolean', default: false },
    'max-fpr': { type: 'string' },
  },
});

type Scorer = (features: FeatureVector, text: string) => number;
interface Method {
  readonly name: string;
  readonly features: FeatureOptions;
  /** Train on examples; `null` for a fixed rule. */
  readonly train: (examples: TrainingExample[]) => Scorer;
  /** Use the `--extra` files for training. */
  readonly extra?: boolean;
}

const chosen = DEFAULT_TRAINING_CONFIG;
const F = chosen.features;
const LR = chosen.logisticRegression;
const linear =
  (m: LinearWeights): Scorer =>
  (x) =>
    sigmoid(linearLogit(m, x));
const lr =
  (averaged: number) =>
  (ex: TrainingExample[]): Scorer => {
    const models = Array.from({ length: averaged }, (_, i) =>
      trainLogisticRegression(ex, F.bits, { ...LR, seed: LR.seed + i }),
    );
    const weights = new Float64Array(2 ** F.bits);
    let bias = 0;
    for (const m of models) {
      bias += m.bias / averaged;
      m.weights.forEach((w, i) => {
        if (w !== 0) weights[i] = (weights[i] ?? 0) + w / averaged;
      });
    }
    return linear({ bias, weights, input: 'values' });
  };
const nb =
  (options: NaiveBayesOptions) =>
  (ex: TrainingExample[]): Scorer =>
    linear(naiveBayesWeights(countFeatures(ex, F.bits), options));
const RULE = /https?:\/\/|www\.|\.com\b|check\s*(?:it\s+)?out|subscri/i;
const rule = (): Scorer => (_x, text) => (RULE.test(cleanText(text)) ? 1 : 0);

const groups = (word: number, char: number, meta: number) => ({ word, char, meta });
const wordsOnly: FeatureOptions = {
  ...F,
  charMin: 0,
  meta: false,
  cues: false,
  groupWeights: groups(1, 0, 0),
};
const charsOnly: FeatureOptions = {
  ...F,
  words: false,
  wordBigrams: false,
  meta: false,
  cues: false,
  groupWeights: groups(0, 1, 0),
};
const wordsChars: FeatureOptions = {
  ...F,
  meta: false,
  cues: false,
  groupWeights: groups(1, 1, 0),
};
const wordsMeta: FeatureOptions = {
  ...F,
  cues: false,
  cueSummary: false,
  groupWeights: groups(1, 0, 1.5),
};
/** Words, markers and cue families, without the shared request markers. */
const all = (char: number): FeatureOptions => ({
  ...F,
  cueSummary: false,
  groupWeights: groups(1, char, 1.5),
});
/** The same with the shared request markers (`cue:any`, `cue:2+`). */
const summary = (char: number): FeatureOptions => ({
  ...F,
  cueSummary: true,
  groupWeights: groups(1, char, 1.5),
});
const NB_MULTI: NaiveBayesOptions = { alpha: 0.1, variant: 'multinomial', prior: 'uniform' };
const NB_BERN: NaiveBayesOptions = { alpha: 1, variant: 'bernoulli', prior: 'uniform' };

const methods: Method[] = [
  { name: 'rule: URL, "check out" or "subscribe"', features: wordsOnly, train: rule },
  { name: 'NB multinomial, words+bigrams', features: wordsOnly, train: nb(NB_MULTI) },
  { name: 'NB multinomial, words+chars 3-5', features: wordsChars, train: nb(NB_MULTI) },
  { name: 'NB multinomial, words+markers+cues', features: all(0), train: nb(NB_MULTI) },
  { name: 'NB Bernoulli, words+bigrams', features: wordsOnly, train: nb(NB_BERN) },
  { name: 'NB Bernoulli, words+markers+cues', features: all(0), train: nb(NB_BERN) },
  { name: 'LR, words+bigrams', features: wordsOnly, train: lr(1) },
  { name: 'LR, chars 3-5', features: charsOnly, train: lr(1) },
  { name: 'LR, words+chars 3-5', features: wordsChars, train: lr(1) },
  { name: 'LR, words+markers', features: wordsMeta, train: lr(1) },
  { name: 'LR, words+markers+cues', features: all(0), train: lr(1) },
  { name: 'LR, words+chars(0.3)+markers+cues', features: all(0.3), train: lr(1) },
  { name: 'LR, words+chars(1)+markers+cues', features: all(1), train: lr(1) },
  {
    name: 'LR x5 averaged, words+markers+cues (model v1 settings)',
    features: all(0),
    train: lr(chosen.averagedModels),
  },
  {
    name: 'LR x5 averaged, words+markers+cues+request markers',
    features: summary(0),
    train: lr(chosen.averagedModels),
  },
  {
    name: 'LR x5 averaged, words+chars(0.3)+markers+cues+request markers (shipped)',
    features: F,
    train: lr(chosen.averagedModels),
  },
  {
    name: 'LR x5 averaged, shipped + SMS',
    features: F,
    train: lr(chosen.averagedModels),
    extra: true,
  },
];

const videos = readLabelledDirectory(values.data);
const extras = values.extra.map((path) => readLabelledCsv(path));
const only = values.only?.split(',').map((s) => s.trim().toLowerCase());
const maxFpr = values['max-fpr'] ? Number(values['max-fpr']) : chosen.maxFalsePositiveRate;

interface Featured {
  readonly source: LabelledSource;
  readonly examples: TrainingExample[];
}

function featurise(sources: readonly LabelledSource[], features: FeatureOptions): Featured[] {
  return sources.map((source) => ({
    source,
    examples: source.rows.map((r) => ({
      features: extractFeatures(r.text, features),
      label: r.label,
    })),
  }));
}

const scoreAll = (scorer: Scorer, f: Featured): number[] =>
  f.examples.map((e, i) => scorer(e.features, f.source.rows[i]?.text ?? ''));
const labelsOf = (f: Featured): number[] => f.examples.map((e) => e.label);
const add = (a: Confusion, b: Confusion): void => {
  a.tp += b.tp;
  a.fp += b.fp;
  a.tn += b.tn;
  a.fn += b.fn;
};
const f3 = (x: number): string => x.toFixed(3);

if (values.feedback) {
  simulateFeedback();
  process.exit(0);
}

/** Prequential replay of each held-out file with moderators' decisions fed back (see header). */
function simulateFeedback(): void {
  const settings = [{ ...chosen.feedback, strength: 0 }, chosen.feedback];
  console.log(
    `| feedback strength | ${videos.map((v) => `${v.name.replace(/\.csv$/i, '')}: F1 / FP / FN`).join(' | ')} | pooled F1 | pooled FPR |`,
  );
  console.log(`|---|${videos.map(() => '---').join('|')}|---|---|`);
  const models = videos.map((test) =>
    trainSpamModel(
      videos.filter((v) => v !== test).map((v) => ({ ...v, weight: 1, holdOut: true })),
      chosen,
    ),
  );
  for (const feedback of settings) {
    const pooled: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
    const cells = videos.map((test, i) => {
      const base = models[i];
      if (!base) throw new Error('missing model');
      const classifier = SpamClassifier.load({ ...base, feedback });
      const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
      for (const row of test.rows) {
        const spam = classifier.isSpam(row.text);
        if (spam && row.label === 1) c.tp++;
        else if (spam) c.fp++;
        else if (row.label === 1) c.fn++;
        else c.tn++;
        if (feedback.strength > 0) {
          if (row.label === 1) classifier.learn(row.text, 'spam');
          else if (spam) classifier.learn(row.text, 'ham');
        }
      }
      add(pooled, c);
      return `${f3(metricsOf(c).f1)} / ${c.fp} / ${c.fn}`;
    });
    const p = metricsOf(pooled);
    console.log(
      `| ${feedback.strength} | ${cells.join(' | ')} | ${f3(p.f1)} | ${(p.fpr * 100).toFixed(1)} % |`,
    );
  }
}

console.log(
  `| method | ${videos.map((v) => `held out ${v.name.replace(/\.csv$/i, '')}: AUC / F1 / FPR`).join(' | ')} | pooled F1 | pooled FPR | best threshold per fold, FPR ≤ 1 % (optimistic): pooled F1 / FPR |`,
);
console.log(`|---|${videos.map(() => '---').join('|')}|---|---|---|`);
const bar = progress('spam:compare');
for (const [index, method] of methods.entries()) {
  if (only && !only.some((o) => method.name.toLowerCase().includes(o))) continue;
  if (method.extra && extras.length === 0) continue;
  bar.update(index, methods.length, method.name);
  const featured = featurise(videos, method.features);
  const extraFeatured = method.extra ? featurise(extras, method.features) : [];
  const cells: string[] = [];
  const pooled: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const oracle: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const test of featured) {
    const train = featured.filter((f) => f !== test);
    const trainOn = (fs: readonly Featured[]): Scorer =>
      method.train([...fs, ...extraFeatured].flatMap((f) => f.examples));
    // Inner leave-one-out over the training videos picks the threshold.
    const innerScores: number[] = [];
    const innerLabels: number[] = [];
    for (const inner of train) {
      innerScores.push(...scoreAll(trainOn(train.filter((f) => f !== inner)), inner));
      innerLabels.push(...labelsOf(inner));
    }
    const threshold =
      method.train === rule ? 0.5 : chooseThreshold(innerScores, innerLabels, maxFpr);
    const scores = scoreAll(trainOn(train), test);
    const labels = labelsOf(test);
    const confusion = confusionAt(scores, labels, threshold);
    const m = metricsOf(confusion);
    add(pooled, confusion);
    add(oracle, confusionAt(scores, labels, chooseThreshold(scores, labels, 0.01)));
    cells.push(`${f3(rocAuc(scores, labels))} / ${f3(m.f1)} / ${(m.fpr * 100).toFixed(1)} %`);
  }
  const p = metricsOf(pooled);
  const o = metricsOf(oracle);
  console.log(
    `| ${method.name} | ${cells.join(' | ')} | ${f3(p.f1)} | ${(p.fpr * 100).toFixed(1)} % | ${f3(o.f1)} / ${(o.fpr * 100).toFixed(1)} % |`,
  );
}
bar.done(`compared ${methods.length} methods`);
