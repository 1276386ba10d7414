import { cleanText } from './text.normalizer.js';
import {
  DEFAULT_FEATURE_OPTIONS,
  extractFeatures,
  MAX_TEXT_LENGTH,
  metaTokens,
} from './feature.extractor.js';

/** Markers of a raw comment, without the length bucket (checked on its own below). */
const markers = (raw: string): string[] =>
  metaTokens(cleanText(raw)).filter((t) => !t.startsWith('len:'));

describe('shape markers', () => {
  it('counts links: none, one, two or more, with each host and its registrable domain', () => {
    expect(markers('plain words only')).toEqual(['link:0', 'caps:low']);
    // The bare-domain reading finds example.com inside the URL too: counted twice (as trained).
    expect(markers('see https://www.shop.example.com/deal now')).toEqual([
      'host:shop.example.com',
      'host:example.com',
      'host:example.com',
      'link:2+',
      'caps:low',
    ]);
    expect(markers('http://a.example and www2.b.example')).toEqual([
      'host:a.example',
      'host:b.example',
      'link:2+',
      'caps:low',
    ]);
  });

  it('reads bare domains, also written with (dot) or " dot "', () => {
    expect(markers('visit mysite.com today')).toEqual(['host:mysite.com', 'link:1', 'caps:low']);
    expect(markers('visit mysite(dot)com today')).toEqual([
      'host:mysite.com',
      'link:1',
      'caps:low',
    ]);
    expect(markers('visit mysite dot tk today')).toEqual(['host:mysite.tk', 'link:1', 'caps:low']);
  });

  it('gives a link to a source its own marker instead of the link count, and no digit run', () => {
    expect(markers('minutes: https://www.camden.gov.uk/minutes-20260314123.pdf')).toEqual([
      'link:0',
      'link:source',
      'caps:low',
    ]);
    expect(markers('https://www.bbc.co.uk/news/12345678 and https://spam.example/x')).toEqual([
      'host:spam.example',
      'link:1',
      'link:source',
      'caps:low',
    ]);
  });

  it('marks e-mail addresses, timestamps, digit runs, repeated punctuation and emoji', () => {
    expect(markers('write to me@mail.example')).toContain('email');
    expect(markers('me at mail dot example')).not.toContain('email');
    expect(markers('at 2:19 it drops')).toContain('time-ref');
    expect(markers('at 12:59 it drops')).toContain('time-ref');
    expect(markers('ratio 2:60 here')).not.toContain('time-ref');
    expect(markers('at 1:2:19 it drops')).not.toContain('time-ref');
    expect(markers('call 12345 now')).toContain('long-digits');
    expect(markers('call 1234 now')).not.toContain('long-digits');
    expect(markers('wow!!!')).toContain('repeated-punct');
    expect(markers('wow!!')).not.toContain('repeated-punct');
    expect(markers('$$$ fast')).toContain('repeated-punct');
    expect(markers('so good 😂')).toContain('emoji');
    expect(markers('so good é')).not.toContain('emoji');
  });

  it('buckets the share of capitals when there are 8 letters or more', () => {
    expect(markers('ABCDEFG')).toEqual(['link:0']);
    expect(markers('ABCDEFGH')).toEqual(['link:0', 'caps:high']);
    // 6 of 10 capitals: 60 %, not above 60 %.
    expect(markers('ABCDEFghij')).toEqual(['link:0', 'caps:mid']);
    expect(markers('ABCDEFGhij')).toEqual(['link:0', 'caps:high']);
    // 1 of 4 = 25 %: low; 3 of 8 = 37.5 %: mid.
    expect(markers('ABcdefgh')).toEqual(['link:0', 'caps:low']);
    expect(markers('ABCdefgh')).toEqual(['link:0', 'caps:mid']);
    expect(markers('ÀÉÎÕÜÇÑŁ')).toEqual(['link:0', 'caps:high']);
    expect(markers('àéîõüçñł')).toEqual(['link:0', 'caps:low']);
  });

  it('buckets the length by powers of two, up to 10', () => {
    const len = (text: string) => metaTokens(text).find((t) => t.startsWith('len:'));
    expect(len('')).toBe('len:0');
    expect(len('a')).toBe('len:1');
    expect(len('abc')).toBe('len:2');
    expect(len('a'.repeat(7))).toBe('len:3');
    expect(len('a'.repeat(2046))).toBe('len:10');
    expect(len('a'.repeat(5000))).toBe('len:10');
  });
});

describe('extraction limits and options', () => {
  it('reads at most MAX_TEXT_LENGTH characters', () => {
    const head = 'word '.repeat(MAX_TEXT_LENGTH / 5);
    const a = extractFeatures(`${head}tail`);
    const b = extractFeatures(`${head}other ending entirely`);
    expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
  });

  it('turns groups on and off', () => {
    const text = 'Check out my channel https://x.example NOW';
    const none = {
      ...DEFAULT_FEATURE_OPTIONS,
      words: false,
      wordBigrams: false,
      charMin: 0,
      meta: false,
      cues: false,
    };
    expect(extractFeatures(text, none).ids.length).toBe(0);
    const words = extractFeatures(text, { ...none, words: true });
    expect(words.wordCount).toBe(words.ids.length);
    expect(words.wordCount).toBe(8); // check out my channel https x example now
  });

  it('counts character n-grams of the configured lengths inside words, or across them', () => {
    const only = {
      ...DEFAULT_FEATURE_OPTIONS,
      words: false,
      wordBigrams: false,
      meta: false,
      cues: false,
    };
    const word = extractFeatures('ab', { ...only, charMin: 2, charMax: 2 });
    // " ab " → " a", "ab", "b "
    expect(word.charCount).toBe(3);
    const wide = extractFeatures('ab', { ...only, charMin: 1, charMax: 4 });
    // lengths 1-4 over " ab ": 4 + 3 + 2 + 1
    expect(wide.charCount).toBe(9); // the space counted once
    const text = extractFeatures('a b', { ...only, charMin: 3, charMax: 3, charMode: 'text' });
    // " a b " → " a ", "a b", " b "
    expect(text.charCount).toBe(3);
    const inWords = extractFeatures('a b', { ...only, charMin: 3, charMax: 3 });
    // " a " and " b "
    expect(inWords.charCount).toBe(2);
  });

  it('gives each group the value weight / sqrt(size), no smaller than minGroupSize allows', () => {
    const only = {
      ...DEFAULT_FEATURE_OPTIONS,
      wordBigrams: false,
      charMin: 0,
      meta: false,
      cues: false,
    };
    const one = extractFeatures('hello', only);
    expect(Array.from(one.values)).toEqual([1]);
    const four = extractFeatures('one two three four', only);
    expect(Array.from(four.values)).toEqual([0.5, 0.5, 0.5, 0.5]);
    const damped = extractFeatures('hello', { ...only, minGroupSize: 4 });
    expect(Array.from(damped.values)).toEqual([0.5]);
    const zero = extractFeatures('hello', { ...only, groupWeights: { word: 0, char: 1, meta: 1 } });
    expect(Array.from(zero.values)).toEqual([0]);
  });
});

describe('more edges of extraction', () => {
  const none = {
    ...DEFAULT_FEATURE_OPTIONS,
    words: false,
    wordBigrams: false,
    charMin: 0,
    meta: false,
    cues: false,
  };

  it('counts Z and z, A and a as letters on the ASCII path', () => {
    expect(markers('ZZZZZZZZ')).toEqual(['link:0', 'caps:high']);
    expect(markers('zzzzzzzz')).toEqual(['link:0', 'caps:low']);
    expect(markers('AAAAAAAA')).toEqual(['link:0', 'caps:high']);
    expect(markers('aaaaaaaa')).toEqual(['link:0', 'caps:low']);
    expect(markers('@@@@@@@@[[[[````{{{{')).toEqual(['link:0']);
  });

  it('needs a whole address for the e-mail marker', () => {
    expect(markers('see you @ home tonight')).not.toContain('email');
  });

  it('strips only a leading www from hosts', () => {
    expect(markers('https://awww.example/x')).toContain('host:awww.example');
    expect(markers('https://www3.example.org/x')).toContain('host:example.org');
  });

  it('drops apostrophes inside words', () => {
    const only = { ...none, words: true };
    expect(Array.from(extractFeatures("don't", only).ids)).toEqual(
      Array.from(extractFeatures('dont', only).ids),
    );
  });

  it('builds bigrams without unigrams when asked', () => {
    expect(extractFeatures('a b c', { ...none, wordBigrams: true }).wordCount).toBe(2);
    expect(extractFeatures('a b c', { ...none, words: true }).wordCount).toBe(3);
  });

  it('has no character n-grams for an empty text, even of length 1', () => {
    expect(extractFeatures('', { ...none, charMin: 1, charMax: 2 }).charCount).toBe(0);
  });

  it('adds markers and cues only when asked, each cue its own id', () => {
    const words = { ...none, words: true };
    const plain = extractFeatures('hello there', words);
    expect(plain.ids.length).toBe(plain.wordCount);
    const withMeta = extractFeatures('hello there', { ...words, meta: true });
    expect(withMeta.ids.length).toBeGreaterThan(withMeta.wordCount);
    const cues = { ...none, cues: true, cueSummary: false };
    const a = Array.from(extractFeatures('please subscribe', cues).ids);
    const b = Array.from(extractFeatures('please check out', cues).ids);
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect(a[0]).not.toBe(b[0]); // subscribe and visit-request; pleading is the second
  });
});
