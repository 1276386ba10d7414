import { Queue } from 'bullmq';
import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import { createTestApp, redisClient, waitFor, type TestApp } from '../utils/test-app.js';

const SECRET = 'the-daily-example-sso-secret-0123456789';

function identity(claims: Record<string, unknown>, secret = SECRET): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('identity from the publisher’s own login (SSO)', () => {
  let t: TestApp;
  const article = uniqueArticle('sso');

  beforeAll(async () => {
    t = await createTestApp();
    const res = await putSite(t, 'sso-site', {
      name: 'SSO',
      settings: { identity: { ssoSecret: SECRET } },
    });
    expect(res.status).toBe(201);
    await putSite(t, 'sso-only', {
      name: 'SSO only',
      settings: { identity: { ssoSecret: SECRET, requireSso: true } },
    });
  });
  afterAll(() => t.close());

  it('never shows the secret, and keeps it when a PUT leaves it out', async () => {
    const got = await t.http.get('/v1/admin/sites/sso-site').set(auth());
    expect(got.body.settings.identity).toEqual({ requireSso: false, ssoSecretSet: true });
    expect(JSON.stringify(got.body)).not.toContain(SECRET);
    const audit = await t.http.get('/v1/admin/audit').set(auth());
    expect(JSON.stringify(audit.body)).not.toContain(SECRET);

    const put = await putSite(t, 'sso-site', { name: 'SSO renamed' });
    expect(put.body.settings.identity).toEqual({ requireSso: false, ssoSecretSet: true });
    const submitted = await submit(
      t,
      article,
      {
        body: 'Still verified.',
        identity: await identity({
          sub: 'u-0',
          email: 'z@example.org',
          name: 'Zed',
          exp: inAnHour(),
        }),
      },
      { siteId: 'sso-site' },
    );
    expect(submitted.status).toBe(202);

    const short = await t.http
      .put('/v1/admin/sites/sso-site')
      .set(auth())
      .send({ name: 'SSO', settings: { identity: { ssoSecret: 'too short' } } });
    expect(short.status).toBe(400);
  });

  it('takes name, email and website from a valid token and shows moderators the identity', async () => {
    const token = await identity({
      sub: 'user-1',
      email: 'ann@example.org',
      name: 'Ann from the login',
      website: 'https://ann.example',
      exp: inAnHour(),
    });
    const res = await submit(
      t,
      article,
      {
        name: 'Typed name',
        email: 'typed@example.org',
        body: 'Verified comment.',
        identity: token,
      },
      { siteId: 'sso-site' },
    );
    expect(res.status).toBe(202);
    const item = await waitForStatus(t, res.body.id, ['held', 'approved']);
    expect(item).toMatchObject({
      identity: { sub: 'user-1', verified: true },
      email: 'ann@example.org',
      author: { name: 'Ann from the login', website: 'https://ann.example' },
    });
  });

  it('accepts a body with only the token and the text', async () => {
    const token = await identity({
      sub: 'user-2',
      email: 'bo@example.org',
      name: 'Bo',
      exp: inAnHour(),
    });
    const res = await submit(
      t,
      article,
      { body: 'No name or email typed.', identity: token },
      { siteId: 'sso-site' },
    );
    expect(res.status).toBe(202);
  });

  it('marks comments without a token as unverified', async () => {
    const res = await submit(t, article, makeComment(), { siteId: 'sso-site' });
    const item = await waitForStatus(t, res.body.id, ['held', 'approved']);
    expect(item.identity).toBeNull();
  });

  it.each([
    [
      'an expired token',
      { sub: 'u', email: 'e@example.org', name: 'E', exp: Math.floor(Date.now() / 1000) - 300 },
      SECRET,
      /expired/,
    ],
    [
      'a forged token',
      { sub: 'u', email: 'e@example.org', name: 'E', exp: inAnHour() },
      'somebody-elses-secret-0123456789abcdef',
      /not signed/,
    ],
    ['a token without email', { sub: 'u', name: 'E', exp: inAnHour() }, SECRET, /"email"/],
    [
      'a token without sub',
      { email: 'e@example.org', name: 'E', exp: inAnHour() },
      SECRET,
      /"sub"/,
    ],
    ['a token without exp', { sub: 'u', email: 'e@example.org', name: 'E' }, SECRET, /"exp"/],
    [
      'a token valid for two days',
      { sub: 'u', email: 'e@example.org', name: 'E', exp: inAnHour() + 48 * 3600 },
      SECRET,
      /24 hours/,
    ],
  ])(
    'refuses %s with a 401 invalid-identity problem, storing nothing',
    async (_what, claims, secret, detail) => {
      const articleId = uniqueArticle('bad-sso');
      const res = await submit(
        t,
        articleId,
        { body: 'Should not be stored.', identity: await identity(claims, secret) },
        { siteId: 'sso-site' },
      );
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        type: expect.stringMatching(/\/problems\/invalid-identity$/),
        status: 401,
      });
      expect(res.body.detail).toMatch(detail);
      const [stored] = await t.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM comments WHERE article_id = $1`, [articleId]);
      expect(stored.n).toBe(0);
    },
  );

  it('answers an empty identity with a 400 naming the fields', async () => {
    const res = await submit(t, article, { body: 'x', identity: '' }, { siteId: 'sso-site' });
    expect(res.status).toBe(400);
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([
      'email',
      'identity',
      'name',
    ]);
  });

  it('refuses a comment without a token when the site requires SSO', async () => {
    const res = await submit(t, article, makeComment(), { siteId: 'sso-only' });
    expect(res.status).toBe(401);
    expect(res.body.type).toMatch(/\/problems\/invalid-identity$/);
    const ok = await submit(
      t,
      article,
      {
        body: 'With a token.',
        identity: await identity({
          sub: 'u-3',
          email: 'c@example.org',
          name: 'C',
          exp: inAnHour(),
        }),
      },
      { siteId: 'sso-only' },
    );
    expect(ok.status).toBe(202);
  });

  it('refuses a token on a site without an SSO secret', async () => {
    const res = await submit(t, article, {
      body: 'x',
      identity: await identity({ sub: 'u', email: 'e@example.org', name: 'E', exp: inAnHour() }),
    });
    expect(res.status).toBe(401);
  });

  it('trusts a verified author by sub in trusted mode, whatever address the token carries', async () => {
    const first = await submit(
      t,
      article,
      {
        body: 'My first verified comment.',
        identity: await identity({
          sub: 'user-9',
          email: 'old@example.org',
          name: 'Nine',
          exp: inAnHour(),
        }),
      },
      { siteId: 'sso-site' },
    );
    const held = await waitForStatus(t, first.body.id, ['held']);
    expect(held.reasons.map((r: { code: string }) => r.code)).toContain('first-comment');
    await t.http
      .post(`/v1/moderation/comments/${first.body.id}/decision`)
      .set(auth())
      .send({ action: 'approve' })
      .expect(200);

    const second = await submit(
      t,
      article,
      {
        body: 'Second, with a new address.',
        identity: await identity({
          sub: 'user-9',
          email: 'new@example.org',
          name: 'Nine',
          exp: inAnHour(),
        }),
      },
      { siteId: 'sso-site' },
    );
    const approved = await waitForStatus(t, second.body.id, ['approved', 'held']);
    expect(approved.status).toBe('approved');
    expect(approved.reasons).toContainEqual({
      code: 'trusted-author',
      message: "The author is signed in with the publisher's login",
    });
  });

  it('accepts notify without SMTP_URL and sends nothing', async () => {
    const res = await submit(
      t,
      article,
      { ...makeComment(), notify: 'replies' },
      { siteId: 'sso-site' },
    );
    expect(res.status).toBe(202);
    await waitForStatus(t, res.body.id, ['held', 'approved']);
    // The submitted event is relayed, and no mail job comes of it.
    await waitFor(async () => {
      const [row] = await t.app
        .get(DataSource)
        .query(
          `SELECT relayed_at FROM outbox_events WHERE subject = $1 AND type = 'comment.submitted'`,
          [`comments/${res.body.id}`],
        );
      return row?.relayed_at;
    });
    const redis = redisClient();
    const queue = new Queue('mail', { connection: redis, prefix: t.config.redis.prefix });
    try {
      expect(Object.values(await queue.getJobCounts()).every((n) => n === 0)).toBe(true);
    } finally {
      await queue.close();
      redis.disconnect();
    }
    const bad = await submit(
      t,
      article,
      { ...makeComment(), notify: 'everything' },
      { siteId: 'sso-site' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'notify', message: 'notify must be "replies"' }]);
  });
});
