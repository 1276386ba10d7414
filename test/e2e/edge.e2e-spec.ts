import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('the HTTP edge: CORS per site, rate limits, audit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ role: 'api', env: { TRUST_PROXY: 'loopback' } });
    await putSite(t, 'paper', {
      name: 'Paper',
      allowedOrigins: ['https://paper.example'],
      settings: { rateLimit: { perIpPerMinute: 2, perEmailPerMinute: 3 } },
    });
  });
  afterAll(() => t.close());

  const post = (ip: string, email: string) =>
    t.http
      .post(`/v1/sites/paper/articles/${uniqueArticle()}/comments`)
      .set('content-type', 'application/json')
      .set('X-Forwarded-For', ip)
      .send(makeComment({ email }));

  it('allows exactly the site’s origins on its public routes', async () => {
    const ok = await t.http
      .options('/v1/sites/paper/articles/a-1/comments')
      .set('Origin', 'https://paper.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,idempotency-key');
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://paper.example');
    expect(ok.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/i);

    const get = await t.http
      .get('/v1/sites/paper/articles/a-1/comments')
      .set('Origin', 'https://paper.example');
    expect(get.headers['access-control-allow-origin']).toBe('https://paper.example');
    expect(get.headers['access-control-expose-headers']).toMatch(/ETag/);

    for (const [path, origin] of [
      ['/v1/sites/paper/articles/a-1/comments', 'https://evil.example'],
      ['/v1/sites/default/articles/a-1/comments', 'https://paper.example'],
      ['/v1/moderation/comments', 'https://paper.example'],
      ['/v1/admin/sites', 'https://paper.example'],
    ]) {
      const res = await t.http.get(path).set('Origin', origin);
      expect({ path, acao: res.headers['access-control-allow-origin'] }).toEqual({
        path,
        acao: undefined,
      });
    }
    const challenge = await t.http.get('/v1/challenge').set('Origin', 'https://paper.example');
    expect(challenge.headers['access-control-allow-origin']).toBe('https://paper.example');
  });

  it('limits submissions per client address with 429 and Retry-After', async () => {
    const ip = '203.0.113.50';
    expect((await post(ip, 'a1@example.org')).status).toBe(202);
    expect((await post(ip, 'a2@example.org')).status).toBe(202);
    const limited = await post(ip, 'a3@example.org');
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another address is not affected.
    expect((await post('203.0.113.51', 'a4@example.org')).status).toBe(202);
  });

  it('limits submissions per email across addresses', async () => {
    const email = 'busy@example.org';
    for (let i = 0; i < 3; i++) expect((await post(`198.51.100.${i}`, email)).status).toBe(202);
    expect((await post('198.51.100.9', email.toUpperCase())).status).toBe(429);
  });

  it('records who changed tokens and settings', async () => {
    const token = await t.http
      .post('/v1/admin/tokens')
      .set(auth())
      .send({ name: 'audited', role: 'moderator' });
    await t.http.delete(`/v1/admin/tokens/${token.body.id}`).set(auth()).expect(204);
    const res = await t.http.get('/v1/admin/audit').set(auth());
    expect(res.status).toBe(200);
    const actions = res.body.items.map((i: { action: string; actor: string }) => [
      i.action,
      i.actor,
    ]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['token.create', 'bootstrap-admin'],
        ['token.revoke', 'bootstrap-admin'],
        ['site.create', 'bootstrap-admin'],
      ]),
    );
  });
});
