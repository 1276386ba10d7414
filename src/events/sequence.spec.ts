import { formatSequence, parseSequence } from './sequence.js';

describe('event sequences', () => {
  it('formats as 20 zero-padded digits', () => {
    expect(formatSequence('42')).toBe('00000000000000000042');
    expect(formatSequence(9223372036854775807n)).toBe('09223372036854775807');
  });

  it('reads back padded and plain forms (old Last-Event-IDs keep working)', () => {
    expect(parseSequence('00000000000000000042')).toBe(42n);
    expect(parseSequence('42')).toBe(42n);
    expect(parseSequence('0')).toBe(0n);
  });

  it('refuses what is not a sequence we could have issued', () => {
    for (const bad of [
      '',
      'x',
      '-1',
      '1e3',
      '123456789012345678901',
      '9999999999999999999',
      undefined,
    ])
      expect(parseSequence(bad)).toBeNull();
  });
});
