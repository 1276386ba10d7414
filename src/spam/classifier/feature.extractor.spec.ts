import {
  DEFAULT_FEATURE_OPTIONS,
  extractFeatures,
  type FeatureOptions,
} from './feature.extractor.js';
import { murmur3 } from './hash.util.js';
import { matchSpamCues } from './spam-cue.lexicon.js';
import {
  DEFAULT_TRAINING_CONFIG,
  FEATURE_SPACE_VERSION,
  featureSpaceOf,
} from './spam-model.trainer.js';
import { normalizeText } from './text.normalizer.js';

const options: FeatureOptions = DEFAULT_TRAINING_CONFIG.features;
const sorted = (ids: Uint32Array): number[] => Array.from(ids).sort((a, b) => a - b);

describe('extractFeatures', () => {
  it('gives the same ids for the same text, every time', () => {
    const a = extractFeatures('Check out my new video http://bit.ly/xyz !!!', options);
    const b = extractFeatures('Check out my new video http://bit.ly/xyz !!!', options);
    expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
  });

  it('keeps every id inside the hashed space', () => {
    const small = { ...options, bits: 12 };
    const { ids } = extractFeatures(
      'some words and ｓｏｍｅ more, with a link www.example.com',
      small,
    );
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(id).toBeLessThan(2 ** 12);
  });

  it('lays ids out as words, then characters, then markers, each group normalised to its weight', () => {
    const v = extractFeatures('please subscribe to my channel', {
      ...DEFAULT_FEATURE_OPTIONS,
      groupWeights: { word: 1, char: 0.5, meta: 2 },
    });
    const norm = (from: number, to: number): number =>
      Math.sqrt(Array.from(v.values.subarray(from, to)).reduce((s, x) => s + x * x, 0));
    expect(v.wordCount).toBe(5 + 4);
    expect(norm(0, v.wordCount)).toBeCloseTo(1, 10);
    expect(norm(v.wordCount, v.wordCount + v.charCount)).toBeCloseTo(0.5, 10);
    expect(norm(v.wordCount + v.charCount, v.ids.length)).toBeCloseTo(2, 10);
  });

  it('does not depend on case, entities or invisible characters', () => {
    const a = extractFeatures('Check OUT my channel', { ...options, meta: false });
    const b = extractFeatures('check out my channel\ufeff', { ...options, meta: false });
    expect(sorted(a.ids)).toEqual(sorted(b.ids));
  });

  it('returns an empty vector for empty text apart from shape markers', () => {
    const v = extractFeatures('', options);
    expect(v.wordCount).toBe(0);
    expect(v.charCount).toBe(0);
  });
});

describe('spam cues', () => {
  it('recognises the usual requests of comment spam', () => {
    expect(matchSpamCues(normalizeText('Please SUBSCRIBE to my channel!!'))).toEqual(
      expect.arrayContaining(['own-content', 'subscribe', 'pleading']),
    );
    expect(matchSpamCues(normalizeText('Like this comment if you are watching in 2025'))).toContain(
      'like-request',
    );
    expect(matchSpamCues(normalizeText('earn real money from home, $500 a day'))).toContain(
      'money',
    );
    expect(matchSpamCues(normalizeText('Suscríbanse a mi canal por favor'))).toEqual(
      expect.arrayContaining(['own-content', 'subscribe', 'pleading']),
    );
  });

  it('stays silent on ordinary comments', () => {
    expect(
      matchSpamCues(normalizeText('I visited Seoul last year and this song was everywhere')),
    ).toEqual([]);
    expect(matchSpamCues(normalizeText('The council vote on the tram line is next week.'))).toEqual(
      [],
    );
  });
});

describe('request cues', () => {
  const cues = (text: string): string[] => matchSpamCues(normalizeText(text));

  it('tells a request to subscribe from talk about subscribers', () => {
    expect(cues('sub to me and subscribe back')).toContain('subscribe');
    expect(cues('so close to 14,000,000 subscribers')).toEqual(['subscribers']);
    expect(cues('I subscribed years ago')).toEqual(['subscribers']);
  });

  it('does not read "another hit like this" as a like request', () => {
    expect(cues('come up with another hit like this')).toEqual([]);
    expect(cues('hit the like button if you agree')).toContain('like-request');
  });

  it('adds one shared marker for any request, and one for two requests or more', () => {
    const base = { ...options, words: false, wordBigrams: false, charMin: 0, meta: false };
    const any = murmur3('cue:any', 0x5eed0003) & (2 ** options.bits - 1);
    const two = murmur3('cue:2+', 0x5eed0003) & (2 ** options.bits - 1);
    const ids = (text: string, o: FeatureOptions = base): number[] =>
      Array.from(extractFeatures(text, o).ids);
    expect(ids('give it a like')).toContain(any);
    expect(ids('give it a like')).not.toContain(two);
    expect(ids('check out my channel')).toEqual(expect.arrayContaining([any, two]));
    expect(ids('please, the chorus')).not.toContain(any); // pleading alone asks for nothing
    expect(ids('give it a like', { ...base, cueSummary: false })).not.toContain(any);
    expect(featureSpaceOf({ ...options, cueSummary: false })).not.toBe(featureSpaceOf(options));
  });
});

describe('feature space', () => {
  // If one of these fails, the ids a text gets have changed: bump FEATURE_SPACE_VERSION (so
  // stored feedback for the old ids is not mixed in), retrain the model, and update the values.
  it('hashes stay what the shipped model and stored feedback were built with', () => {
    expect(murmur3('check out my channel', 0x5eed0001)).toBe(968644266);
    expect(
      sorted(extractFeatures('Check out my channel: http://bit.ly/x', options).ids).slice(0, 12),
    ).toEqual([16569, 17095, 21152, 42668, 43749, 45081, 61690, 73775, 74084, 84393, 87220, 88825]);
    expect(FEATURE_SPACE_VERSION).toBe(2);
    expect(featureSpaceOf(options)).toBe('v2-203b739b');
  });

  it('fingerprints only what decides ids, not group weights', () => {
    const a = featureSpaceOf(options);
    expect(featureSpaceOf({ ...options, groupWeights: { word: 2, char: 2, meta: 2 } })).toBe(a);
    expect(featureSpaceOf({ ...options, bits: 18 })).not.toBe(a);
  });
});
