import { etagMatches } from './etag.js';

describe('etagMatches (If-None-Match, RFC 9110 weak comparison)', () => {
  it('matches the same tag, weak or strong, anywhere in a list', () => {
    expect(etagMatches('"a"', '"a"')).toBe(true);
    expect(etagMatches('W/"a"', '"a"')).toBe(true);
    expect(etagMatches('"a"', 'W/"a"')).toBe(true);
    expect(etagMatches('"x", W/"a" ,"y"', '"a"')).toBe(true);
  });

  it('matches anything with *', () => {
    expect(etagMatches(' * ', '"a"')).toBe(true);
  });

  it('does not match another tag, an empty header or none', () => {
    expect(etagMatches('"b"', '"a"')).toBe(false);
    expect(etagMatches('"ab"', '"a"')).toBe(false);
    expect(etagMatches('', '"a"')).toBe(false);
    expect(etagMatches(undefined, '"a"')).toBe(false);
  });
});
