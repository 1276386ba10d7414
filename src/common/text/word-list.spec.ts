import { findListedWord, normalizeForMatching } from './word-list.js';

describe('word lists', () => {
  it('matches whole words only, case-insensitively', () => {
    expect(findListedWord(['ass'], 'A classic Assessment')).toBeNull();
    expect(findListedWord(['ass'], 'what an ASS.')).toBe('ass');
    expect(findListedWord(['Casino'], 'best casino-bonus')).toBe('casino');
  });

  it('sees through zero-width characters and full-width letters', () => {
    expect(findListedWord(['viagra'], 'cheap v\u200biagra now')).toBe('viagra');
    expect(findListedWord(['viagra'], 'cheap ｖｉａｇｒａ now')).toBe('viagra');
    expect(findListedWord(['viagra'], 'cheap vi\u00ADagra now')).toBe('viagra');
    expect(normalizeForMatching('ＡＢＣ\uFEFF')).toBe('abc');
  });

  it('matches phrases across any whitespace and treats regex characters literally', () => {
    expect(findListedWord(['buy now'], 'please buy\n  now')).toBe('buy\n  now');
    expect(findListedWord(['c++'], 'I like c++ a lot')).toBe('c++');
    expect(findListedWord(['a.b'], 'axb')).toBeNull();
  });

  it('looks in every text given and finds nothing in an empty list', () => {
    expect(findListedWord(['spam'], 'clean body', null, 'https://spam.example')).toBe('spam');
    expect(findListedWord([], 'anything')).toBeNull();
  });
});
