import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { loadConfig } from '../../config/app.config.js';
import { CryptoService } from '../../common/crypto/crypto.service.js';
import { InvalidIdentityError } from '../../identity/sso-identity.js';
import { readerKey, resolveReader } from './reader-key.js';

const SECRET = 'publisher-secret-0123456789abcdef-0123456789';
const crypto = new CryptoService(loadConfig({ SECRET_KEY: randomBytes(32).toString('base64') }));

function token(sub: string, secret = SECRET): Promise<string> {
  return new SignJWT({ sub, email: 'r@example.org', name: 'R', exp: Date.now() / 1000 + 600 })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
}

describe('readerKey: the one key of a reader for likes, flags and their rate limits', () => {
  it('is the SSO subject when known, whatever the address', () => {
    const a = readerKey(crypto, { ip: '192.0.2.1', sub: 'user-1' });
    expect(a.equals(readerKey(crypto, { ip: '198.51.100.9', sub: 'user-1' }))).toBe(true);
    expect(a.equals(readerKey(crypto, { ip: '192.0.2.1', sub: 'user-2' }))).toBe(false);
    expect(a.equals(readerKey(crypto, { ip: '192.0.2.1' }))).toBe(false);
    expect(a.subarray(0, 1).toString()).toBe('s');
    expect(a.toString('latin1')).not.toContain('user-1');
  });

  it('is the address otherwise, an IPv6 address by its /64', () => {
    const v6 = readerKey(crypto, { ip: '2001:db8:1:2::1' });
    expect(v6.equals(readerKey(crypto, { ip: '2001:db8:1:2:ffff::9', sub: null }))).toBe(true);
    expect(v6.equals(readerKey(crypto, { ip: '2001:db8:1:3::1' }))).toBe(false);
    expect(v6.subarray(0, 1).toString()).toBe('a');
  });
});

describe('resolveReader', () => {
  const open = { ssoSecret: SECRET, requireSso: false };
  const required = { ssoSecret: SECRET, requireSso: true };

  it('takes the verified sub, or the address without a token', async () => {
    expect(await resolveReader(open, await token('u-7'), '192.0.2.1')).toEqual({
      ip: '192.0.2.1',
      sub: 'u-7',
    });
    expect(await resolveReader(open, undefined, '192.0.2.1')).toEqual({
      ip: '192.0.2.1',
      sub: null,
    });
  });

  it('refuses a forged token, a token where no secret is set, and none where SSO is required', async () => {
    const forged = await token('u-7', 'another-secret-0123456789abcdef-0123456789');
    await expect(resolveReader(open, forged, null)).rejects.toBeInstanceOf(InvalidIdentityError);
    await expect(
      resolveReader({ ssoSecret: null, requireSso: false }, await token('u-7'), null),
    ).rejects.toBeInstanceOf(InvalidIdentityError);
    await expect(resolveReader(required, undefined, '192.0.2.1')).rejects.toBeInstanceOf(
      InvalidIdentityError,
    );
    expect((await resolveReader(required, await token('u-8'), null)).sub).toBe('u-8');
  });
});
