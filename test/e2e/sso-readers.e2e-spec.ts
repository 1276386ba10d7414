import { SignJWT } from 'jose';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { putSite, submit, waitForStatus } from '../utils/api.js';
import { sql } from '../utils/events.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const SECRET = 'the-daily-example-sso-secret-0123456789';
const OTHER_SECRET = 'somebody-else-entirely-forged-secret-9876543210';

function identity(sub: string, secret = SECRET, exp = inAnHour()): Promise<string> {
  return new SignJWT({ sub, email: `${sub}@example.org`, name: `Reader ${sub}`, exp })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

/**
 * Readers signed in through the publisher's SSO are counted by their `sub` for likes and
 * flags (API v1.1), not by their client address: two readers behind one address are two
 * readers, and one reader on two addresses is one. The app trusts X-Forwarded-For from
 * loopback, so each request names its address.
 */
describe('SSO readers: likes and flags counted by `sub`', () => {
  let t: TestApp;
  const SITE = 'sso-readers';
  const REQUIRED = 'sso-readers-only';
  let seq = 0;
  /** A fresh reader address (documentation range 198.51.100.0/24). */
  const newAddress = () => `198.51.100.${(++seq % 250) + 1}`;

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    const settings = (requireSso: boolean) => ({
      moderation: { mode: 'post', flagThreshold: 10 },
      identity: { ssoSecret: SECRET, requireSso },
    });
    expect(
      (await putSite(t, SITE, { name: 'SSO readers', settings: settings(false) })).status,
    ).toBe(201);
    expect(
      (await putSite(t, REQUIRED, { name: 'SSO only', settings: settings(true) })).status,
    ).toBe(201);
  });
  afterAll(() => t?.close());

  const like = (id: string, address: string, token?: string) =>
    t.http
      .post(`/v1/comments/${id}/reactions`)
      .set('X-Forwarded-For', address)
      .send(token ? { type: 'like', identity: token } : { type: 'like' });
  const unlike = (id: string, address: string, token?: string) => {
    const req = t.http.delete(`/v1/comments/${id}/reactions`).set('X-Forwarded-For', address);
    return token ? req.send({ identity: token }) : req;
  };
  const flag = (id: string, address: string, token?: string) =>
    t.http
      .post(`/v1/comments/${id}/flags`)
      .set('X-Forwarded-For', address)
      .send(token ? { reason: 'off-topic', identity: token } : { reason: 'off-topic' });

  async function published(site: string, text: string): Promise<string> {
    const input =
      site === REQUIRED
        ? { body: text, identity: await identity(`author-${seq}-${Date.now()}`) }
        : makeComment({ body: text });
    const res = await submit(t, uniqueArticle('sso-readers'), input, { siteId: site });
    expect(res.status).toBe(202);
    await waitForStatus(t, res.body.id as string, ['approved']);
    return res.body.id as string;
  }

  const stored = async (id: string) => ({
    reactions: await sql<{ reader: Buffer }>(
      t,
      `SELECT reader FROM comment_reactions WHERE comment_id = $1`,
      [id],
    ),
    flags: await sql<{ reader_key: Buffer | null }>(
      t,
      `SELECT reader_key FROM comment_flags WHERE comment_id = $1`,
      [id],
    ),
  });

  it('counts two signed-in readers behind one address as two likes and two flags', async () => {
    const id = await published(SITE, 'Two readers share the office network.');
    const address = newAddress();
    const ann = await identity('ann-sub');
    const bob = await identity('bob-sub');

    expect((await like(id, address, ann)).body).toEqual({ likes: 1 });
    expect((await like(id, address, bob)).body).toEqual({ likes: 2 });
    // The same address without identity is a third reader (the address itself).
    expect((await like(id, address)).body).toEqual({ likes: 3 });

    const first = await flag(id, address, ann);
    const second = await flag(id, address, bob);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.id).not.toBe(first.body.id);

    const rows = await stored(id);
    expect(rows.reactions).toHaveLength(3);
    expect(rows.flags).toHaveLength(2);
    // Only keyed hashes are stored: never the subject, never the address.
    for (const key of [
      ...rows.reactions.map((r) => r.reader),
      ...rows.flags.map((f) => f.reader_key),
    ]) {
      const text = key!.toString('latin1');
      for (const secret of ['ann-sub', 'bob-sub', address]) expect(text).not.toContain(secret);
    }
  });

  it('counts one signed-in reader on two addresses once, and takes the like back from either', async () => {
    const id = await published(SITE, 'One reader, phone and laptop.');
    const cat = await identity('cat-sub');
    const home = newAddress();
    const mobile = newAddress();

    expect((await like(id, home, cat)).body).toEqual({ likes: 1 });
    const again = await like(id, mobile, cat);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ likes: 1 });

    const first = await flag(id, home, cat);
    const repeat = await flag(id, mobile, cat);
    expect(first.status).toBe(202);
    expect(repeat.status).toBe(202);
    expect(repeat.body.id).toBe(first.body.id);
    expect((await stored(id)).flags).toHaveLength(1);

    // DELETE carries the identity in a JSON body; the address it comes from does not matter.
    expect((await unlike(id, home)).body).toEqual({ likes: 1 });
    const back = await unlike(id, mobile, cat);
    expect(back.status).toBe(200);
    expect(back.body).toEqual({ likes: 0 });
    expect((await stored(id)).reactions).toHaveLength(0);

    // What a DELETE body may carry is validated like any body.
    const odd = await t.http
      .delete(`/v1/comments/${id}/reactions`)
      .set('X-Forwarded-For', home)
      .send({ identity: await identity('cat-sub'), extra: true });
    expect(odd.status).toBe(400);
  });

  it('answers 401 invalid-identity to a forged or expired identity and stores nothing', async () => {
    const id = await published(SITE, 'Somebody tries to pose as many readers.');
    const address = newAddress();
    expect((await like(id, address, await identity('dan-sub'))).body).toEqual({ likes: 1 });

    const forged = await identity('eve-sub', OTHER_SECRET);
    const expired = await identity('eve-sub', SECRET, Math.floor(Date.now() / 1000) - 3600);
    for (const token of [forged, expired, 'not-a-jwt']) {
      for (const res of [
        await like(id, newAddress(), token),
        await unlike(id, address, token),
        await flag(id, newAddress(), token),
      ]) {
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.type).toMatch(/\/problems\/invalid-identity$/);
        expect(JSON.stringify(res.body)).not.toContain(token);
      }
    }
    const rows = await stored(id);
    expect(rows.reactions).toHaveLength(1);
    expect(rows.flags).toHaveLength(0);
  });

  it('requires an identity for likes and flags where the site sets requireSso', async () => {
    const id = await published(REQUIRED, 'Only signed-in readers react here.');
    const address = newAddress();
    for (const res of [
      await like(id, address),
      await unlike(id, address),
      await flag(id, address),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.type).toMatch(/\/problems\/invalid-identity$/);
    }
    expect(await stored(id)).toEqual({ reactions: [], flags: [] });

    const fay = await identity('fay-sub');
    expect((await like(id, address, fay)).body).toEqual({ likes: 1 });
    expect((await flag(id, address, fay)).status).toBe(202);
    expect((await unlike(id, address, fay)).body).toEqual({ likes: 0 });
  });
});
