import { cleanText, foldText, normalizeText } from './text.normalizer.js';

describe('cleanText', () => {
  it('decodes HTML entities, including text escaped twice', () => {
    expect(cleanText('Tom &amp; Jerry &#39;rock&#39; &lt;3 &quot;yes&quot;')).toBe(
      `Tom & Jerry 'rock' <3 "yes"`,
    );
    expect(cleanText('fish &amp;amp; chips')).toBe('fish & chips');
  });

  it('strips the byte-order mark, zero-width and other invisible characters', () => {
    expect(cleanText('che\u200bck out\ufeff')).toBe('check out');
    expect(cleanText('sub\u00adscri\u2060be \u200d\u200cnow\u202e')).toBe('subscribe now');
  });

  it('turns line-break tags into spaces and drops other tags', () => {
    expect(cleanText('first line<br />second<br/>third<BR>fourth')).toBe(
      'first line second third fourth',
    );
    expect(cleanText('<b>bold</b> and <i>italic</i>')).toBe('bold and italic');
  });

  it('keeps a link target as text, once when the label is the URL itself', () => {
    expect(cleanText('see <a href="http://spam.example/x?a=1&amp;b=2">my site</a>!')).toBe(
      'see http://spam.example/x?a=1&b=2 my site !',
    );
    expect(cleanText('<a href="https://bit.ly/abc">https://bit.ly/abc</a>')).toBe(
      'https://bit.ly/abc',
    );
  });

  it('keeps only the label of links the platform adds to timestamps, hashtags and mentions', () => {
    expect(
      cleanText('best part <a href="http://www.youtube.com/watch?v=x&amp;t=2m19s">2:19</a>'),
    ).toBe('best part 2:19');
    expect(
      cleanText('<a class="ot-hashtag" href="https://plus.google.com/s/%23LMFAO">#LMFAO</a> yes'),
    ).toBe('#LMFAO yes');
    expect(
      cleanText('<a class="proflink" href="https://plus.google.com/1">SomeName</a> said'),
    ).toBe('SomeName said');
  });

  it('leaves a lone "<" that is not a tag alone', () => {
    expect(cleanText('I <3 this and 2 < 5')).toBe('I <3 this and 2 < 5');
  });

  it('applies NFKC: full-width and mathematical letters become plain ones', () => {
    expect(cleanText('ｃｈｅｃｋ ｍｙ ｃｈａｎｎｅｌ')).toBe('check my channel');
    expect(cleanText('𝐟𝐫𝐞𝐞 𝐦𝐨𝐧𝐞𝐲')).toBe('free money');
  });

  it('collapses white space and keeps case', () => {
    expect(cleanText('  Hello\t\tWorld \n\n again ')).toBe('Hello World again');
  });
});

describe('foldText', () => {
  it('lower-cases and removes accents', () => {
    expect(foldText('Él Está AQUÍ, garçon')).toBe('el esta aqui, garcon');
  });

  it('maps Cyrillic and Greek look-alike letters to Latin', () => {
    // "раураl" and "сhеck" typed with Cyrillic letters
    expect(foldText('\u0440\u0430\u0443\u0440\u0430l \u0441h\u0435ck')).toBe('paypal check');
  });

  it('squeezes letter runs to two but leaves digits alone', () => {
    expect(foldText('Sooooo goooood 1000000')).toBe('soo good 1000000');
  });
});

describe('normalizeText', () => {
  it('gives the same text for the same comment written in different ways', () => {
    const plain = normalizeText('Check out my channel');
    expect(normalizeText('CHECK OUT MY CHANNEL\ufeff')).toBe(plain);
    expect(normalizeText('Check&nbsp;out <b>my</b> ｃｈａｎｎｅｌ')).toBe(plain);
  });
});
