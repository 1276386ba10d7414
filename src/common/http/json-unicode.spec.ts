import { illFormedField } from './json-unicode.js';

describe('illFormedField', () => {
  it('finds a lone surrogate in a value, naming its top-level field', () => {
    expect(illFormedField({ name: 'Ann', email: 'a\ud800@example.org' })).toBe('email');
    expect(illFormedField({ settings: { moderation: { holdWords: ['ok', '\udfff'] } } })).toBe(
      'settings',
    );
    expect(illFormedField(['\ud800'])).toBe('body');
    expect(illFormedField({ ['k\udc00']: 1 })).toBe('body');
  });

  it('accepts well-formed text, astral characters (surrogate pairs) included', () => {
    expect(illFormedField({ name: 'Zoë 😀 𝄞', body: 'ｖｉａｇｒａ\u200b' })).toBeNull();
    expect(illFormedField({ n: 1, b: true, z: null, list: [1, 'a'] })).toBeNull();
    expect(illFormedField('plain')).toBeNull();
  });
});
