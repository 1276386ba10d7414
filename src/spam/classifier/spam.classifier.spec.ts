import { loadSpamModel } from '../model/spam-model.loader.js';
import {
  emptyLearnedState,
  FeatureSpaceMismatchError,
  learnedStateFromDeltas,
  retraction,
  SpamClassifier,
} from './spam.classifier.js';
import type { FeedbackDelta, LearnedState } from './spam-model.types.js';

const model = loadSpamModel();

const CLEAR_SPAM = [
  'Check out my new channel and please subscribe!! http://bit.ly/3xYzFree',
  'Earn $500 a day working from home, visit www.easy-cash-now.example to start',
  'sub4sub!!! subscribe to me and I will subscribe back, like this comment',
  'Hey guys please watch my music video and share it, it would mean a lot',
  'Suscríbanse a mi canal por favor, subo videos nuevos cada semana',
];
const CLEAR_HAM = [
  'This song never gets old, the chorus still gives me chills.',
  "I remember dancing to this at my cousin's wedding years ago.",
  'The drummer in this video is incredible, what a performance',
  'Who else thinks the second verse is better than the first?',
  'Esta canción me recuerda a mi infancia, qué bonita',
];

// A made-up campaign the shipped model has never seen: no link, no typical spam wording.
const CAMPAIGN = [
  'Grandma Rosalind crispy dumplings recipe changed my life, ask for it at Rosalind Kitchen on Vellamo street',
  'grandma rosalind crispy dumplings recipe changed my whole life!! ask for it at rosalind kitchen, vellamo street',
  'Grandma Rosalind’s crispy dumpling recipe changed my life. Ask for it at Rosalind Kitchen on Vellamo Street!',
  'GRANDMA ROSALIND CRISPY DUMPLINGS RECIPE CHANGED MY LIFE ask for it at Rosalind Kitchen on Vellamo st',
  'grandma rosalind crispy dumplings recipe changed my life - just ask for it at Rosalind Kitchen on Vellamo street',
];
const NEW_CAMPAIGN_COMMENT =
  'grandma rosalind crispy dumplings recipe really changed my life, ask at Rosalind Kitchen on Vellamo street';

// Legitimate comments the shipped model is wary of (they talk about subscribers).
const FALSE_ALARMS = [
  'come on everyone, the band is so close to 10 million subscribers now!',
  'Come on everyone, the band is so close to 10 million subscribers!!',
  'come on everybody, this band is so close to 10 million subscribers',
];
const NEW_FALSE_ALARM = 'come on everyone the band is really so close to 10 million subscribers';

const logit = (p: number): number => Math.log(p / (1 - p));

describe('SpamClassifier on the shipped model', () => {
  const classifier = SpamClassifier.load(model);

  it.each(CLEAR_SPAM)('classifies clear spam as spam: %s', (text) => {
    const score = classifier.score(text);
    expect(score.spam).toBe(true);
    expect(score.probability).toBeGreaterThanOrEqual(classifier.threshold);
  });

  it.each(CLEAR_HAM)('lets a clear legitimate comment through: %s', (text) => {
    const score = classifier.score(text);
    expect(score.spam).toBe(false);
    expect(score.probability).toBeLessThan(0.3);
  });

  it('returns probabilities in [0, 1] for odd input', () => {
    for (const text of [
      '',
      ' ',
      '\ufeff',
      '!!!!',
      'a'.repeat(20000),
      '<a href="x">',
      '&amp;&#0;&#xFFFFFF;',
    ]) {
      const p = classifier.probability(text);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it('scores the same text the same way every time', () => {
    const text = CLEAR_SPAM[0] ?? '';
    expect(classifier.probability(text)).toBe(classifier.probability(text));
    expect(SpamClassifier.load(model).probability(text)).toBe(classifier.probability(text));
  });

  it('scores markup-encoded text like its plain form', () => {
    const plain = 'Check out my new channel & subscribe';
    expect(
      classifier.probability('Check out my new channel &amp; subscribe<br />\ufeff'),
    ).toBeCloseTo(classifier.probability(plain), 12);
  });
});

describe('learning from moderators', () => {
  it('raises a new near-duplicate after a few of its siblings are marked spam', () => {
    const classifier = SpamClassifier.load(model);
    const before = classifier.score(NEW_CAMPAIGN_COMMENT);
    expect(before.spam).toBe(false);
    expect(before.feedbackShift).toBe(0);
    for (const text of CAMPAIGN.slice(0, 3)) classifier.learn(text, 'spam');
    const afterThree = classifier.score(NEW_CAMPAIGN_COMMENT);
    expect(logit(afterThree.probability) - logit(before.probability)).toBeGreaterThan(2.5);
    for (const text of CAMPAIGN.slice(3)) classifier.learn(text, 'spam');
    const afterFive = classifier.score(NEW_CAMPAIGN_COMMENT);
    expect(afterFive.feedbackShift).toBeGreaterThan(3.5);
    expect(afterFive.baseProbability).toBe(before.probability);
    expect(afterFive.spam).toBe(true);
  });

  it('lowers a new near-duplicate after its siblings are approved as legitimate', () => {
    const classifier = SpamClassifier.load(model);
    const before = classifier.score(NEW_FALSE_ALARM);
    for (const text of FALSE_ALARMS) classifier.learn(text, 'ham');
    const after = classifier.score(NEW_FALSE_ALARM);
    expect(after.feedbackShift).toBeLessThan(-2);
    expect(logit(before.probability) - logit(after.probability)).toBeGreaterThan(2);
    expect(after.probability).toBeLessThan(before.probability / 2);
  });

  it('lets ham feedback outweigh earlier spam feedback on the same comments', () => {
    const classifier = SpamClassifier.load(model);
    for (const text of CAMPAIGN.slice(0, 2)) classifier.learn(text, 'spam');
    const raised = classifier.probability(NEW_CAMPAIGN_COMMENT);
    for (const text of CAMPAIGN) classifier.learn(text, 'ham');
    expect(classifier.probability(NEW_CAMPAIGN_COMMENT)).toBeLessThan(raised);
    expect(classifier.score(NEW_CAMPAIGN_COMMENT).feedbackShift).toBeLessThan(0);
  });

  it('grows with the number of examples', () => {
    const classifier = SpamClassifier.load(model);
    const shifts = CAMPAIGN.map((text) => {
      classifier.learn(text, 'spam');
      return classifier.score(NEW_CAMPAIGN_COMMENT).feedbackShift;
    });
    for (let i = 1; i < shifts.length; i++) expect(shifts[i]).toBeGreaterThan(shifts[i - 1] ?? 0);
  });

  it('leaves unrelated comments almost where they were', () => {
    const classifier = SpamClassifier.load(model);
    const before = CLEAR_HAM.map((t) => classifier.probability(t));
    for (const text of CAMPAIGN) classifier.learn(text, 'spam');
    CLEAR_HAM.forEach((t, i) => {
      expect(Math.abs(classifier.probability(t) - (before[i] ?? 0))).toBeLessThan(0.02);
      expect(classifier.isSpam(t)).toBe(false);
    });
  });

  it('undoes a decision with its retraction', () => {
    const classifier = SpamClassifier.load(model);
    const base = classifier.probability(NEW_CAMPAIGN_COMMENT);
    const deltas = CAMPAIGN.map((text) => classifier.learn(text, 'spam'));
    for (const delta of deltas) classifier.apply(retraction(delta));
    expect(classifier.probability(NEW_CAMPAIGN_COMMENT)).toBe(base);
    expect(classifier.learnedState()).toEqual(emptyLearnedState(model.featureSpace));
  });
});

describe('learned state shared between replicas', () => {
  function learnSome(): { classifier: SpamClassifier; deltas: FeedbackDelta[] } {
    const classifier = SpamClassifier.load(model);
    const deltas = [
      ...CAMPAIGN.map((text) => classifier.learn(text, 'spam')),
      ...FALSE_ALARMS.map((text) => classifier.learn(text, 'ham')),
    ];
    return { classifier, deltas };
  }
  const probe = [NEW_CAMPAIGN_COMMENT, NEW_FALSE_ALARM, ...CLEAR_HAM, ...CLEAR_SPAM];

  it('feedbackFor describes a decision without applying it', () => {
    const classifier = SpamClassifier.load(model);
    const delta = classifier.feedbackFor(CAMPAIGN[0] ?? '', 'spam');
    expect(delta).toMatchObject({ featureSpace: model.featureSpace, label: 'spam', weight: 1 });
    expect(delta.features.length).toBeGreaterThan(20);
    expect([...delta.features]).toEqual([...new Set(delta.features)].sort((a, b) => a - b));
    expect(classifier.learnedState().counts).toHaveLength(0);
  });

  it('gives the same scores whatever order the deltas are applied in', () => {
    const { classifier, deltas } = learnSome();
    const replica = SpamClassifier.load(model);
    for (const delta of [...deltas].reverse()) replica.apply(delta);
    for (const text of probe) expect(replica.probability(text)).toBe(classifier.probability(text));
    expect(replica.learnedState()).toEqual(classifier.learnedState());
  });

  it('rebuilds from persisted deltas or from the persisted state after a JSON round trip', () => {
    const { classifier, deltas } = learnSome();
    const storedDeltas = JSON.parse(JSON.stringify(deltas)) as FeedbackDelta[];
    const fromDeltas = SpamClassifier.load(
      model,
      learnedStateFromDeltas(model.featureSpace, storedDeltas),
    );
    const storedState = JSON.parse(JSON.stringify(classifier.learnedState())) as LearnedState;
    const fromState = SpamClassifier.load(model, storedState);
    for (const text of probe) {
      expect(fromDeltas.probability(text)).toBe(classifier.probability(text));
      expect(fromState.probability(text)).toBe(classifier.probability(text));
    }
  });

  it('learned state is the sum of deltas: merging two halves equals learning everything', () => {
    const { classifier, deltas } = learnSome();
    const half = Math.floor(deltas.length / 2);
    const merged = SpamClassifier.load(
      model,
      learnedStateFromDeltas(model.featureSpace, deltas.slice(0, half)),
    );
    merged.apply(learnedStateFromDeltas(model.featureSpace, deltas.slice(half)));
    expect(merged.learnedState()).toEqual(classifier.learnedState());
  });

  it('refuses feedback computed for another model', () => {
    const classifier = SpamClassifier.load(model);
    const delta = { ...classifier.feedbackFor('anything', 'spam'), featureSpace: 'v0-other' };
    expect(() => classifier.apply(delta)).toThrow(FeatureSpaceMismatchError);
    expect(() => SpamClassifier.load(model, emptyLearnedState('v0-other'))).toThrow(
      FeatureSpaceMismatchError,
    );
  });
});
