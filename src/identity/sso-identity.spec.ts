import { SignJWT } from 'jose';
import { InvalidIdentityError, verifyIdentity } from './sso-identity.js';

const SECRET = 'publisher-secret-0123456789abcdef-0123456789';
const NOW = new Date('2026-12-03T10:00:00Z');
const nowS = NOW.getTime() / 1000;

function sign(
  claims: Record<string, unknown>,
  { secret = SECRET, alg = 'HS256' }: { secret?: string; alg?: string } = {},
) {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
}

const valid = { sub: 'user-42', email: 'Ann@Example.com', name: 'Ann', exp: nowS + 3600 };

async function reason(token: Promise<string> | string, secret: string | null = SECRET) {
  try {
    await verifyIdentity(await token, secret, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidIdentityError);
    expect((error as InvalidIdentityError).status).toBe(401);
    return (error as Error).message;
  }
  throw new Error('the token was accepted');
}

describe('verifyIdentity', () => {
  it('returns the author a valid token names', async () => {
    const token = await sign({ ...valid, website: 'https://ann.example' });
    await expect(verifyIdentity(token, SECRET, NOW)).resolves.toEqual({
      sub: 'user-42',
      email: 'Ann@Example.com',
      name: 'Ann',
      website: 'https://ann.example',
    });
  });

  it('refuses an expired token', async () => {
    expect(await reason(sign({ ...valid, exp: nowS - 120 }))).toMatch(/expired/);
  });

  it('refuses a token signed with another secret (forged)', async () => {
    expect(await reason(sign(valid, { secret: 'another-secret-0123456789abcdef-012345' }))).toMatch(
      /not signed with this site/,
    );
  });

  it('refuses a token that is not HS256', async () => {
    expect(await reason(sign(valid, { alg: 'HS512' }))).toMatch(/HS256/);
  });

  it.each(['sub', 'email', 'name', 'exp'])('refuses a token without %s', async (claim) => {
    const claims: Record<string, unknown> = { ...valid };
    delete claims[claim];
    expect(await reason(sign(claims))).toMatch(new RegExp(`"${claim}"`));
  });

  it('refuses a token that lives longer than 24 hours', async () => {
    expect(await reason(sign({ ...valid, exp: nowS + 25 * 3600 }))).toMatch(/24 hours/);
  });

  it('refuses an invalid email, an empty name and a javascript: website', async () => {
    expect(await reason(sign({ ...valid, email: 'not-an-address' }))).toMatch(/email/);
    expect(await reason(sign({ ...valid, name: '   ' }))).toMatch(/"name"/);
    expect(await reason(sign({ ...valid, website: 'javascript:alert(1)' }))).toMatch(/website/);
  });

  it('refuses garbage and sites without an SSO secret', async () => {
    expect(await reason('not.a.jwt')).toMatch(/malformed/);
    expect(await reason(sign(valid), null)).toMatch(/does not accept/);
  });
});
