import {
  decodeLeet,
  prepareToxicityText,
  TOXICITY_FEATURE_OPTIONS,
  toxicityFeatures,
  toxicityFeatureSpaceOf,
} from './toxicity.features.js';

describe('decodeLeet', () => {
  it.each([
    ['sh1t', 'shit'],
    ['b!tch', 'bitch'],
    ['@ss', 'ass'],
    ['$hit', 'shit'],
    ['a55hole', 'asshole'],
    ['l0s3r', 'loser'],
    ['1d10t', 'idiot'],
    ['|ame', 'lame'],
    ['8itch', 'bitch'],
    ['7ras4', 'trasa'],
  ])('reads %s as %s', (leet, plain) => {
    expect(decodeLeet(leet)).toBe(plain);
  });

  it.each([
    'The vote was 455 to 120.',
    'Budget of 5,455 pounds',
    'in 2024 at 10:15',
    'the 1st and 2nd of 10pm 5k 1990s 3rd 4th',
    'wow!!! really!',
  ])('leaves numbers, numbers with units and punctuation alone: %j', (text) => {
    expect(decodeLeet(text)).toBe(text);
  });

  it('keeps the exclamation marks after a decoded word', () => {
    expect(decodeLeet('sh1t!!')).toBe('shit!!');
  });

  it('leaves text without anything to decode untouched', () => {
    expect(decodeLeet('plain words only')).toBe('plain words only');
  });
});

describe('prepareToxicityText', () => {
  it('replaces handles, links and the retweet marker', () => {
    expect(prepareToxicityText('RT @somebody: look http://t.co/abc now')).toBe(
      'someone : look link now',
    );
  });

  it('keeps short @words, which read as leetspeak', () => {
    expect(prepareToxicityText('you @ss')).toBe('you ass');
  });

  it('decodes entities and turns emoji into words of their own', () => {
    const text = prepareToxicityText('so funny &#128514;');
    expect(text).toBe('so funny  ef09f9882 ');
    expect(text).not.toContain('&#');
  });
});

describe('toxicityFeatures', () => {
  it('gives the same ids to leetspeak and the plain word', () => {
    expect(Array.from(toxicityFeatures('you sh1t').ids)).toEqual(
      Array.from(toxicityFeatures('you shit').ids),
    );
  });

  it('has no markers or cues (words and characters only)', () => {
    const f = toxicityFeatures('check out my channel https://x.example');
    expect(f.ids.length).toBe(f.wordCount + f.charCount);
  });

  it('has a feature space of its own, which changes with the options', () => {
    const space = toxicityFeatureSpaceOf(TOXICITY_FEATURE_OPTIONS);
    expect(space).toBe('tox1-ab4b8049');
    expect(toxicityFeatureSpaceOf({ ...TOXICITY_FEATURE_OPTIONS, bits: 17 })).not.toBe(space);
  });
});
