import { bearerOrBasicToken, bearerToken } from './bearer.js';

describe('bearer tokens', () => {
  it('reads `Bearer <token>` in any case, and nothing else', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer ')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('also takes the password of Basic credentials (a browser prompt)', () => {
    const basic = `Basic ${Buffer.from('admin:s3cret:x').toString('base64')}`;
    expect(bearerOrBasicToken(basic)).toBe('s3cret:x');
    expect(bearerOrBasicToken('Bearer abc')).toBe('abc');
    expect(bearerOrBasicToken(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeNull();
    expect(bearerOrBasicToken('Digest x')).toBeNull();
  });
});
