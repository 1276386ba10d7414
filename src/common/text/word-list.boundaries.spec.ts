import { blockWordsPhase } from '../../moderation/phases/words.phase.js';
import { makeModerationContext } from '../../../test/factories/moderation-context.factory.js';
import { compileWordList, findListedWord } from './word-list.js';

describe('word lists, at their edges', () => {
  it('prefers the longer of two listed terms that both match', () => {
    expect(findListedWord(['new', 'new york'], 'the new york times')).toBe('new york');
    expect(findListedWord(['new york', 'new'], 'the new york times')).toBe('new york');
  });

  it('normalises and trims the listed words too', () => {
    expect(findListedWord(['ＶＩＡＧＲＡ'], 'cheap viagra')).toBe('viagra');
    expect(findListedWord(['  casino  '], 'a casino night')).toBe('casino');
    expect(findListedWord(['', ' '], 'anything')).toBeNull();
    expect(compileWordList(['', ' '])).toBeNull();
  });

  it('lets any run of white space stand for the spaces of a term', () => {
    expect(findListedWord(['ice  cream'], 'ice cream van')).toBe('ice cream');
    expect(findListedWord(['ice cream'], 'ice \n cream van')).toBe('ice \n cream');
  });

  it('keeps lists that join to the same text apart', () => {
    expect(findListedWord(['ab', 'c'], 'a bc')).toBeNull();
    expect(findListedWord(['a', 'bc'], 'a bc')).toBe('a');
  });

  it('gives the same matcher for the same list, and escapes regular-expression characters', () => {
    expect(compileWordList(['x', 'y'])).toBe(compileWordList(['x', 'y']));
    expect(findListedWord(['c++'], 'I write c++ daily')).toBe('c++');
    expect(findListedWord(['a.b'], 'axb')).toBeNull();
  });

  it('says which block word it found', () => {
    const settings = { moderation: { blockWords: ['viagra'] } };
    expect(blockWordsPhase(makeModerationContext({ body: 'cheap VIAGRA', settings }))).toEqual({
      status: 'spam',
      reasons: [{ code: 'block-word', message: 'Contains the blocked word "viagra"' }],
    });
  });
});
