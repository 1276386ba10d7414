import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOT_CLEAN_ENOUGH, readCleanTextCsv } from '../cli/clean-text.reader.js';
import { readToxicityCsv } from '../cli/toxicity-csv.reader.js';
import { ToxicityClassifier } from './toxicity.classifier.js';
import { multiclassReport, predictClass } from './toxicity-metrics.js';
import type { MulticlassExample } from './softmax.trainer.js';
import {
  chooseHateRatio,
  chooseToxicityThreshold,
  crossValidate,
  DEFAULT_TOXICITY_TRAINING_CONFIG,
  logCountRatios,
  scaleFeatures,
  stratifiedFolds,
  trainToxicityModel,
  trainToxicityModelWithScores,
  type ToxicitySource,
} from './toxicity-model.trainer.js';

const HATE = [
  'you filthy vermin go home',
  'those animals should be deported',
  'send the vermin back',
];
const OFFENSIVE = ['shut up bitch', 'this hoe is trash', 'stupid bitch lol', 'fuck off hoe'];
const CLEAN_TEXTS = ['lovely weather today', 'the game starts at noon', 'great reporting thanks'];

function source(): ToxicitySource {
  const rows: { text: string; label: number }[] = [];
  for (let i = 0; i < 10; i++) {
    rows.push({ text: `${HATE[i % 3]} ${i}`, label: 0 });
    rows.push({ text: `${OFFENSIVE[i % 4]} ${i}`, label: 1 });
    rows.push({ text: `${OFFENSIVE[(i + 1) % 4]} again ${i}`, label: 1 });
    rows.push({ text: `${CLEAN_TEXTS[i % 3]} ${i}`, label: 2 });
  }
  return { name: 'tiny.csv', sha256: 'x', rows };
}

const config = {
  ...DEFAULT_TOXICITY_TRAINING_CONFIG,
  features: { ...DEFAULT_TOXICITY_TRAINING_CONFIG.features, bits: 12 },
};

describe('trainToxicityModel', () => {
  it('is deterministic: the same rows give the same JSON', () => {
    expect(JSON.stringify(trainToxicityModel([source()], config))).toBe(
      JSON.stringify(trainToxicityModel([source()], config)),
    );
  });

  it('reports its sources, folds and a threshold within the clean-held bound', () => {
    const model = trainToxicityModel([source()], config);
    expect(model.training.sources).toEqual([
      { name: 'tiny.csv', sha256: 'x', rows: 40, byClass: [10, 20, 10] },
    ]);
    expect(model.training.crossValidation.n).toBe(40);
    expect(model.training.crossValidation.cleanHeld).toBeLessThanOrEqual(0.05);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThanOrEqual(1);
    expect(model.featureSpace).toMatch(/^tox1-/);
  });

  it('trains towards vote shares when asked and the rows have them', () => {
    const withVotes: ToxicitySource = {
      ...source(),
      rows: source().rows.map((r) => ({
        ...r,
        votes: [r.label === 0 ? 3 : 0, r.label === 1 ? 3 : 0, r.label === 2 ? 3 : 0] as [
          number,
          number,
          number,
        ],
      })),
    };
    const soft = trainToxicityModel([withVotes], { ...config, softLabels: true });
    const hard = trainToxicityModel([withVotes], config);
    // One-hot votes are the hard labels: the same model.
    expect(soft.weights).toEqual(hard.weights);
  });

  describe('with an auxiliary (everyday clean) source', () => {
    const everyday: ToxicitySource = {
      name: 'ham.csv (ham)',
      sha256: 'y',
      auxiliary: true,
      rows: ['further down', 'on the first page', 'this one stays up', 'me too', 'thanks'].map(
        (text) => ({ text, label: 2 }),
      ),
    };

    it('trains on its rows but scores and reports only the other sources', () => {
      const model = trainToxicityModel([source(), everyday], config);
      expect(model.training.crossValidation.n).toBe(40);
      expect(model.training.sources[1]).toEqual({
        name: 'ham.csv (ham)',
        sha256: 'y',
        rows: 5,
        byClass: [0, 0, 5],
        auxiliary: true,
      });
      expect(model.training.auxiliaryWeight).toBe(config.auxiliaryWeight);
      expect(model.documentFrequency.documents).toBe(45);
      expect(trainToxicityModel([source()], config).training.auxiliaryWeight).toBeUndefined();
    });

    it('pulls texts like its rows towards clean, more with a larger weight', () => {
      const toxicity = (sources: ToxicitySource[], auxiliaryWeight: number): number => {
        const model = trainToxicityModel(sources, { ...config, auxiliaryWeight });
        return ToxicityClassifier.load(model).score('further down').toxicity;
      };
      const without = toxicity([source()], 5);
      const light = toxicity([source(), everyday], 1);
      const heavy = toxicity([source(), everyday], 5);
      expect(light).toBeLessThan(without);
      expect(heavy).toBeLessThan(light);
    });
  });
});

describe('naive-Bayes scaling (NB-LR)', () => {
  const features = (ids: number[]): MulticlassExample['features'] => ({
    ids: Uint32Array.from(ids),
    values: Float64Array.from(ids.map(() => 0.5)),
    wordCount: ids.length,
    charCount: 0,
  });

  it('gives each id the size of its smoothed log-count ratio between abusive and clean rows', () => {
    const examples: MulticlassExample[] = [
      { features: features([1, 2]), label: 0 },
      { features: features([1]), label: 1 },
      { features: features([2, 3]), label: 2, weight: 2 },
    ];
    const r = logCountRatios(examples, 2, 1);
    // abusive counts [0, 2, 1, 0] (total 3 + 4α), clean counts [0, 0, 2, 2] (total 4 + 4α)
    const abusive = [0, 2, 1, 0];
    const clean = [0, 0, 2, 2];
    for (let i = 0; i < 4; i++) {
      const expected = Math.abs(
        Math.log(((abusive[i] ?? 0) + 1) / 7) - Math.log(((clean[i] ?? 0) + 1) / 8),
      );
      expect(r[i]).toBeCloseTo(expected, 12);
    }
    // an id in abusive rows only weighs more than one in both
    expect(r[1]).toBeGreaterThan(r[2] ?? 0);
  });

  it('scales each value by its id’s ratio, leaving ids and labels alone', () => {
    const [scaled] = scaleFeatures(
      [{ features: features([0, 3]), label: 1 }],
      Float64Array.from([2, 0, 0, 3]),
    );
    expect(Array.from(scaled?.features.ids ?? [])).toEqual([0, 3]);
    expect(Array.from(scaled?.features.values ?? [])).toEqual([1, 1.5]);
    expect(scaled?.label).toBe(1);
  });

  it('folds the ratios into the stored weights: the same texts score as trained, unlike plain LR', () => {
    const nb = trainToxicityModel([source()], config);
    const plain = trainToxicityModel([source()], { ...config, naiveBayes: null });
    expect(nb.training.naiveBayes).toEqual({ alpha: 1 });
    expect(plain.training.naiveBayes).toBeNull();
    expect(nb.weights).not.toEqual(plain.weights);
    const classifier = ToxicityClassifier.load(nb);
    expect(classifier.score('shut up bitch').toxicity).toBeGreaterThan(nb.threshold);
    expect(classifier.score('lovely weather today').toxicity).toBeLessThan(nb.threshold);
  });
});

describe('crossValidate', () => {
  it('scores every row once, by a scorer that never trained on it', () => {
    const examples: MulticlassExample[] = Array.from({ length: 15 }, (_, i) => ({
      features: { ids: Uint32Array.of(i), values: Float64Array.of(1), wordCount: 1, charCount: 0 },
      label: i % 3,
    }));
    const extra: MulticlassExample = { ...examples[0], label: 2 };
    const oof = crossValidate(
      examples,
      5,
      1,
      (train) => {
        const seen = new Set(train.map((e) => e.features.ids[0]));
        expect(train).toContain(extra);
        return (f) => (seen.has(f.ids[0]) ? [1, 0, 0] : [0, 0, 1]);
      },
      [extra],
    );
    expect(oof).toHaveLength(15);
    // row 0's id is in the auxiliary row, the others were never seen by their fold's scorer
    expect(oof.slice(1).every((p) => p[2] === 1)).toBe(true);
  });

  it('gives trainToxicityModel’s own out-of-fold scores with the model', () => {
    const { model, oof } = trainToxicityModelWithScores([source()], config);
    expect(oof).toHaveLength(40);
    expect(JSON.stringify(model)).toBe(JSON.stringify(trainToxicityModel([source()], config)));
  });
});

describe('stratifiedFolds', () => {
  it('deals every class evenly over the folds', () => {
    const labels = [...Array(10).fill(0), ...Array(20).fill(1), ...Array(5).fill(2)] as number[];
    const folds = stratifiedFolds(labels, 5, 1);
    for (let k = 0; k < 5; k++) {
      expect(labels.filter((l, i) => l === 0 && folds[i] === k)).toHaveLength(2);
      expect(labels.filter((l, i) => l === 1 && folds[i] === k)).toHaveLength(4);
      expect(labels.filter((l, i) => l === 2 && folds[i] === k)).toHaveLength(1);
    }
    expect(stratifiedFolds(labels, 5, 1)).toEqual(folds);
    expect(stratifiedFolds(labels, 5, 2)).not.toEqual(folds);
  });
});

describe('chooseToxicityThreshold', () => {
  // [P(hate), P(offensive), P(neither)]
  const probabilities = [
    [0.1, 0.85, 0.05],
    [0.1, 0.7, 0.2],
    [0.05, 0.55, 0.4],
    [0.05, 0.35, 0.6],
    [0.0, 0.4, 0.6],
    [0.0, 0.1, 0.9],
  ];
  const labels = [1, 1, 2, 1, 2, 2];

  it('takes the best weighted F1 whose clean share held stays within the bound', () => {
    expect(chooseToxicityThreshold(probabilities, labels, 0)).toBeCloseTo(0.8, 10);
    // Mostly offensive rows: holding everything is best, unless no clean row may be held.
    const offensive = [1, 1, 1, 2, 1, 1];
    expect(chooseToxicityThreshold(probabilities, offensive, 1)).toBeCloseTo(0.1, 10);
    expect(chooseToxicityThreshold(probabilities, offensive, 0)).toBeCloseTo(0.6, 10);
  });

  it('holds rows of equal toxicity together', () => {
    const t = chooseToxicityThreshold(probabilities, labels, 1);
    const report = multiclassReport(
      labels,
      probabilities.map((p) => predictClass(p, t)),
    );
    expect(report.cleanHeld).toBeLessThanOrEqual(1);
    // 0.4 would hold both rows with P(neither) 0.6 at once; never one of them alone.
    const heldAt = probabilities.filter((p) => 1 - (p[2] ?? 0) >= t).length;
    expect([2, 3, 5, 6]).toContain(heldAt);
  });
});

describe('chooseHateRatio', () => {
  it('lowers the ratio when hate is under-called', () => {
    const probabilities = [
      [0.4, 0.5, 0.1],
      [0.1, 0.8, 0.1],
    ];
    expect(chooseHateRatio(probabilities, [0, 1], 0.5)).toBeLessThan(0.8);
    expect(chooseHateRatio(probabilities, [1, 1], 0.5)).toBe(1);
  });
});

describe('multiclassReport', () => {
  it('counts per class, weighted and macro F1, and the clean and abusive shares held', () => {
    const r = multiclassReport([0, 1, 1, 2, 2], [1, 1, 2, 2, 0]);
    expect(r.confusion).toEqual([
      [0, 1, 0],
      [0, 1, 1],
      [1, 0, 1],
    ]);
    expect(r.perClass.offensive).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(r.perClass.hate.f1).toBe(0);
    expect(r.weightedF1).toBeCloseTo((2 * 0.5 + 2 * 0.5) / 5, 10);
    expect(r.macroF1).toBeCloseTo((0 + 0.5 + 0.5) / 3, 10);
    expect(r.cleanHeld).toBe(0.5);
    expect(r.abusiveHeld).toBeCloseTo(2 / 3, 10);
    expect(r.accuracy).toBeCloseTo(2 / 5, 10);
  });
});

describe('predictClass', () => {
  it('is clean under the threshold, else the likelier abusive class after the ratio', () => {
    expect(predictClass([0.3, 0.3, 0.4], 0.61)).toBe(2);
    expect(predictClass([0.3, 0.3, 0.4], 0.6)).toBe(1);
    expect(predictClass([0.31, 0.29, 0.4], 0.6)).toBe(0);
    expect(predictClass([0.2, 0.4, 0.4], 0.6, 0.5)).toBe(1);
    expect(predictClass([0.21, 0.39, 0.4], 0.6, 0.5)).toBe(0);
  });
});

describe('readCleanTextCsv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clean-csv-'));

  it('reads the ham rows of a spam CSV as clean, auxiliary rows, leaving out spam and swearing', () => {
    const path = join(dir, 'ham.csv');
    writeFileSync(
      path,
      'COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n' +
        '1,a,d,Love this song﻿,0\n' +
        '2,a,d,Check out my channel,1\n' +
        '3,a,d,2 billion views for this sh1t?,0\n' +
        '4,a,d,She&#39;s a whore,0\n' +
        '5,a,d,"Classic, still great in 2015",0\n',
    );
    const read = readCleanTextCsv(path);
    expect(read.rows).toEqual([
      { text: 'Love this song﻿', label: 2 },
      { text: 'Classic, still great in 2015', label: 2 },
    ]);
    expect(read).toMatchObject({ name: 'ham.csv (ham)', auxiliary: true, excluded: 2 });
    expect(read.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches swearing and insults at the start of words, not inside them', () => {
    for (const t of ['holy fucking hell', 'you idiot', 'shitty', 'stupidity', 'dumb'])
      expect(NOT_CLEAN_ENOUGH.test(t)).toBe(true);
    for (const t of ['classic', 'assume', 'scrap metal', 'a hellish commute']) {
      expect(NOT_CLEAN_ENOUGH.test(t)).toBe(false);
    }
  });

  it('refuses a file without CONTENT and CLASS', () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'text,label\nhi,0\n');
    expect(() => readCleanTextCsv(path)).toThrow(/CONTENT/);
  });
});

describe('readToxicityCsv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'toxicity-csv-'));

  it('reads CONTENT,CLASS files', () => {
    const path = join(dir, 'a.csv');
    writeFileSync(path, 'COMMENT_ID,CONTENT,CLASS\n1,"hello, you",2\n2,shut up,1\n');
    expect(readToxicityCsv(path).rows).toEqual([
      { text: 'hello, you', label: 2 },
      { text: 'shut up', label: 1 },
    ]);
  });

  it("reads the development file's own tweet,class columns and its votes", () => {
    const path = join(dir, 'b.csv');
    writeFileSync(
      path,
      ',count,hate_speech,offensive_language,neither,class,tweet\n0,3,0,2,1,1,"a ""quoted"" tweet"\n',
    );
    expect(readToxicityCsv(path).rows).toEqual([
      { text: 'a "quoted" tweet', label: 1, votes: [0, 2, 1] },
    ]);
  });

  it('refuses a file without the columns, or with another class', () => {
    const a = join(dir, 'c.csv');
    writeFileSync(a, 'text,label_x\nhi,1\n');
    expect(() => readToxicityCsv(a)).toThrow(/CONTENT/);
    const b = join(dir, 'd.csv');
    writeFileSync(b, 'CONTENT,CLASS\nhi,3\n');
    expect(() => readToxicityCsv(b)).toThrow(/row 2: class "3"/);
  });
});
