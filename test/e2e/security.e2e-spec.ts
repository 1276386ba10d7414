import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import { startWebhookReceiver, type WebhookReceiver } from '../utils/events.js';
import { ROOT } from '../utils/service-process.js';
import { createTestApp, dumpRedis, redisClient, waitFor, type TestApp } from '../utils/test-app.js';

/** What an error body must never show: stack frames, file paths, SQL, driver error names. */
const LEAK =
  /at \S+ \(|node_modules|\/src\/|\.ts:\d|QueryFailedError|TypeORM|SELECT |INSERT |UPDATE |DELETE FROM|relation "|syntax error at|ECONNREFUSED/i;

function expectNoLeak(res: { status: number; text: string; headers: Record<string, string> }) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.text).not.toMatch(LEAK);
}

describe('security checks', () => {
  let t: TestApp;
  let db: DataSource;
  let hook: WebhookReceiver;

  beforeAll(async () => {
    hook = await startWebhookReceiver();
    // Everything the service would ever log, to search it.
    t = await createTestApp({
      env: { LOG_LEVEL: 'trace', WEBHOOK_RETRY_BASE_MS: '100', EVENTS_RELAY_POLL_MS: '100' },
    });
    db = t.app.get(DataSource);
    await putSite(t, 'open', {
      name: 'Open',
      allowedOrigins: ['https://paper.example'],
      settings: { moderation: { mode: 'post' } },
    });
    await putSite(t, 'strict', {
      name: 'Strict',
      settings: { rateLimit: { perIpPerMinute: 2, perEmailPerMinute: 100 } },
    });
  });
  afterAll(async () => {
    await t.close();
    await hook.close();
  });

  const countRows = async () =>
    (
      await db.query(
        `SELECT (SELECT count(*) FROM comments)::int AS comments,
                (SELECT count(*) FROM outbox_events WHERE type = 'comment.submitted')::int AS submitted`,
      )
    )[0] as { comments: number; submitted: number };

  describe('mass assignment', () => {
    it('refuses status, spamScore, siteId and other server-owned fields in a submission', async () => {
      const before = await countRows();
      for (const extra of [
        { status: 'approved' },
        { spamScore: 0 },
        { siteId: 'strict' },
        { articleId: 'other' },
        { id: '00000000-0000-4000-8000-000000000000' },
        { publishedAt: '2020-01-01T00:00:00Z' },
        { createdAt: '2020-01-01T00:00:00Z' },
        { depth: 0 },
        { emailIndex: 'x' },
        { bodyHtml: '<script>x</script>' },
        { moderationReasons: [] },
        JSON.parse('{"__proto__":{"status":"approved"}}') as object,
        { constructor: { prototype: { status: 'approved' } } },
      ]) {
        const res = await submit(
          t,
          uniqueArticle(),
          { ...makeComment(), ...extra },
          {
            siteId: 'open',
          },
        );
        const fields = Object.keys(extra);
        expect({ extra: fields, status: res.status }).toEqual({ extra: fields, status: 400 });
        expectNoLeak(res);
      }
      // the prototype-pollution attempts must not have reached Object.prototype
      expect(({} as Record<string, unknown>).status).toBeUndefined();
      expect(await countRows()).toEqual(before);
    });

    it('refuses server-owned fields in moderator and admin bodies', async () => {
      const res = await submit(t, uniqueArticle(), makeComment(), { siteId: 'open' });
      const id = res.body.id as string;
      await waitForStatus(t, id, ['approved']);
      const attempts: Array<[string, string, Record<string, unknown>]> = [
        [
          'post',
          `/v1/moderation/comments/${id}/decision`,
          { action: 'reject', status: 'approved' },
        ],
        ['post', `/v1/moderation/comments/${id}/decision`, { action: 'reject', actor: 'someone' }],
        ['post', '/v1/moderation/decisions', { ids: [id], action: 'reject', siteId: 'strict' }],
        ['post', '/v1/admin/tokens', { name: 'x', role: 'admin', tokenHash: 'aa', id: 'x' }],
        ['put', '/v1/admin/sites/open', { name: 'Open', id: 'other', createdAt: 'x' }],
        ['post', '/v1/moderation/bans', { ip: '192.0.2.9', reason: 'x', emailIndex: 'x' }],
        [
          'post',
          '/v1/admin/webhooks',
          { url: 'https://h.example', events: ['comment.approved'], secret: 'mine' },
        ],
      ];
      for (const [method, path, body] of attempts) {
        const r = await (
          t.http as unknown as Record<string, (p: string) => import('supertest').Test>
        )
          [method](path)
          .set(auth())
          .send(body);
        expect({ path, body, status: r.status }).toEqual({ path, body, status: 400 });
        expectNoLeak(r);
      }
      const still = await t.http.get(`/v1/moderation/comments/${id}`).set(auth());
      expect(still.body.status).toBe('approved');
    });
  });

  describe('CORS', () => {
    it('allows only the site’s exact origins on public routes, and none on private ones', async () => {
      const cases: Array<[string, string, string | undefined]> = [
        ['/v1/sites/open/articles/a/comments', 'https://paper.example', 'https://paper.example'],
        ['/v1/sites/open/counts?articles=a', 'https://paper.example', 'https://paper.example'],
        ['/v1/sites/open/articles/a/comments', 'https://paper.example.evil.example', undefined],
        ['/v1/sites/open/articles/a/comments', 'https://evil.example', undefined],
        ['/v1/sites/open/articles/a/comments', 'http://paper.example', undefined],
        ['/v1/sites/open/articles/a/comments', 'null', undefined],
        ['/v1/sites/strict/articles/a/comments', 'https://paper.example', undefined],
        ['/v1/moderation/comments', 'https://paper.example', undefined],
        ['/v1/admin/sites', 'https://paper.example', undefined],
        ['/v1/admin/tokens', 'https://paper.example', undefined],
        ['/v1/events', 'https://paper.example', undefined],
      ];
      for (const [path, origin, allowed] of cases) {
        const get = await t.http.get(path).set('Origin', origin).set(auth());
        const preflight = await t.http
          .options(path)
          .set('Origin', origin)
          .set('Access-Control-Request-Method', 'POST')
          .set('Access-Control-Request-Headers', 'authorization,content-type');
        for (const res of [get, preflight]) {
          expect({ path, origin, acao: res.headers['access-control-allow-origin'] }).toEqual({
            path,
            origin,
            acao: allowed,
          });
          // No cookies are ever used: credentials are never allowed cross-origin.
          expect(res.headers['access-control-allow-credentials']).toBeUndefined();
        }
      }
    });
  });

  describe('security headers', () => {
    it('sends helmet’s headers on public, private, error and static responses', async () => {
      for (const res of [
        await t.http.get('/v1/sites/open/articles/a/comments'),
        await t.http.get('/v1/moderation/comments').set(auth()),
        await t.http.get('/v1/moderation/comments'),
        await t.http.get('/no/such/route'),
        await submit(t, 'a', { bogus: 1 }, { siteId: 'open' }),
        await t.http.get('/moderate'),
        await t.http.get('/health/live'),
      ]) {
        const h = res.headers;
        expect(h['x-content-type-options']).toBe('nosniff');
        expect(h['content-security-policy']).toContain("default-src 'self'");
        expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(h['x-frame-options']).toBe('SAMEORIGIN');
        expect(h['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(h['referrer-policy']).toBe('no-referrer');
        expect(h['cross-origin-opener-policy']).toBe('same-origin');
        expect(h['x-dns-prefetch-control']).toBe('off');
        expect(h['x-powered-by']).toBeUndefined();
      }
    });
  });

  describe('rate limits', () => {
    it('answers 429 with Retry-After, stores nothing, and is not fooled by X-Forwarded-For', async () => {
      // This app trusts no proxy: X-Forwarded-For is the client's word and is ignored.
      const post = (ip: string) =>
        t.http
          .post(`/v1/sites/strict/articles/${uniqueArticle()}/comments`)
          .set('content-type', 'application/json')
          .set('X-Forwarded-For', ip)
          .send(makeComment());
      expect((await post('203.0.113.1')).status).toBe(202);
      expect((await post('203.0.113.2')).status).toBe(202);
      const before = await countRows();
      const limited = await post('203.0.113.3');
      expect(limited.status).toBe(429);
      expectNoLeak(limited);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await countRows()).toEqual(before);
    });
  });

  describe('errors', () => {
    it('shows no stack trace, path or SQL even when the database fails under a request', async () => {
      // A real failure inside a query: the table a route reads is gone for a moment.
      await db.query(`ALTER TABLE bans RENAME TO bans_away`);
      let res;
      try {
        res = await t.http.get('/v1/moderation/bans').set(auth());
      } finally {
        await db.query(`ALTER TABLE bans_away RENAME TO bans`);
      }
      expect(res.status).toBe(500);
      expectNoLeak(res);
      expect(res.body).toEqual({
        type: expect.any(String),
        title: expect.any(String),
        status: 500,
        ...(res.body.detail ? { detail: expect.any(String) } : {}),
        ...(res.body.instance ? { instance: expect.any(String) } : {}),
        ...(res.body.requestId ? { requestId: expect.any(String) } : {}),
      });
      // …while the log has what an operator needs.
      expect(t.logs.some((l) => l.includes('bans_away') || l.includes('"level":50'))).toBe(true);
    });

    it('shows none for malformed input of every kind either', async () => {
      const responses = [
        await t.http
          .post('/v1/sites/open/articles/a/comments')
          .set('content-type', 'application/json')
          .send('{"name":'),
        await t.http
          .post('/v1/sites/open/articles/a/comments')
          .set('content-type', 'application/json')
          .send('[]'),
        await t.http.get(`/v1/sites/open/articles/a/comments?cursor=${'%FF'.repeat(20)}`),
        await t.http.get('/v1/sites/open/articles/a/comments?limit=1e400'),
        await t.http.get(`/v1/comments/${'9'.repeat(40)}?receipt=x`),
        await t.http.get("/v1/sites/open'%20OR%201=1--/counts?articles=a"),
        await t.http.get('/v1/moderation/comments?siteId=%00').set(auth()),
        await t.http.get('/v1/admin/audit?limit=-1').set(auth()),
        await t.http.get('/v1/events?after=99999999999999999999999').set(auth()),
        await t.http.get('/%E0%A4%A'),
        // The CORS preflight route too (it is registered before Nest's error handler).
        await t.http.options('/').set('content-type', 'application/json'),
        await t.http
          .options('/v1/sites/open/counts')
          .set('content-type', 'application/json')
          .send('{'),
      ];
      for (const res of responses) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expectNoLeak(res);
      }
    });
  });

  describe('request and body size limits', () => {
    it('refuses a 1 MB body (413), huge headers (431) and over-long path segments (4xx), storing nothing', async () => {
      const before = await countRows();
      const huge = JSON.stringify({ ...makeComment(), body: 'x'.repeat(1024 * 1024) });
      for (const path of [
        '/v1/sites/open/articles/a/comments',
        '/v1/moderation/decisions',
        '/v1/admin/tokens',
      ]) {
        const res = await t.http
          .post(path)
          .set(auth())
          .set('content-type', 'application/json')
          .send(huge);
        expect({ path, status: res.status }).toEqual({ path, status: 413 });
        expectNoLeak(res);
      }
      // Node's header limit (16 KiB) answers 431 before any route runs.
      const port = await new Promise<number>((resolve) => {
        const server = t.app.getHttpServer();
        if (server.listening) resolve((server.address() as { port: number }).port);
        else
          server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
      });
      const big = await fetch(`http://127.0.0.1:${port}/v1/sites/open/articles/a/comments`, {
        headers: { 'x-padding': 'p'.repeat(32 * 1024) },
      });
      expect(big.status).toBe(431);
      expect(big.headers.get('content-type')).toMatch(/problem\+json/);
      const longPath = await t.http.get(`/v1/sites/open/articles/${'a'.repeat(5000)}/comments`);
      expect(longPath.status).toBeGreaterThanOrEqual(400);
      expect(longPath.status).toBeLessThan(500);
      expectNoLeak(longPath);
      const longPost = await submit(t, 'a'.repeat(201), makeComment(), { siteId: 'open' });
      expect(longPost.status).toBe(400);
      expect(await countRows()).toEqual(before);
    });
  });

  describe('readers’ emails', () => {
    it('appear in no log line, Redis key or value, event, webhook body or plaintext column', async () => {
      const email = 'Secret.Reader+tag@Private-Mail.example';
      const needles = ['secret.reader', 'private-mail.example'];
      const hasEmail = (text: string) => needles.some((n) => text.toLowerCase().includes(n));
      const created = await t.http
        .post('/v1/admin/webhooks')
        .set(auth())
        .send({
          url: hook.url,
          events: ['comment.submitted', 'comment.approved', 'comment.rejected'],
        });
      expect(created.status).toBe(201);

      const article = uniqueArticle();
      const res = await submit(t, article, makeComment({ email, name: 'Sam' }), { siteId: 'open' });
      expect(res.status).toBe(202);
      await waitForStatus(t, res.body.id, ['approved']);
      // A rejected submission carrying the address, and a moderator decision on the accepted one.
      expect(
        (await submit(t, article, { ...makeComment({ email }), body: '' }, { siteId: 'open' }))
          .status,
      ).toBe(400);
      expect(
        (await submit(t, article, { ...makeComment(), email: `${email}x@` }, { siteId: 'open' }))
          .status,
      ).toBe(400);
      await t.http
        .post(`/v1/moderation/comments/${res.body.id}/decision`)
        .set(auth())
        .send({ action: 'reject', reason: 'test' })
        .expect(200);
      await t.http
        .post('/v1/moderation/bans')
        .set(auth())
        .send({ siteId: 'open', email, reason: 'x' })
        .expect(201);
      await waitFor(
        () =>
          Promise.resolve(
            hook.received.filter((h) => h.body.includes(res.body.id as string)).length >= 3,
          ),
        { timeoutMs: 15_000, what: 'three webhooks about the comment' },
      );

      const found: string[] = [];
      for (const h of hook.received) {
        if (hasEmail(h.body) || hasEmail(JSON.stringify(h.headers))) found.push('webhook');
      }
      const redis = redisClient();
      try {
        for (const [key, value] of await dumpRedis(redis, t.config.redis.prefix)) {
          if (hasEmail(key) || hasEmail(value)) found.push(`redis ${key}`);
        }
      } finally {
        redis.disconnect();
      }
      for (const e of await db.query(`SELECT data FROM outbox_events`)) {
        if (hasEmail(JSON.stringify(e.data))) found.push('outbox event');
      }
      const events = await t.http.get('/v1/events?after=0&limit=100').set(auth());
      if (hasEmail(JSON.stringify(events.body))) found.push('GET /v1/events');
      for (const line of t.logs) if (hasEmail(line)) found.push(`log ${line.slice(0, 200)}`);
      // At rest the address is only ciphertext: no table holds it in plain text.
      const tables: Array<{ table_name: string }> = await db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      for (const { table_name } of tables) {
        const rows: Array<{ r: string }> = await db.query(
          `SELECT row_to_json(t)::text AS r FROM "${table_name}" t`,
        );
        if (rows.some((row) => hasEmail(row.r))) found.push(`table ${table_name}`);
      }
      expect(hook.received.length).toBeGreaterThanOrEqual(3);
      expect(t.logs.length).toBeGreaterThan(50);
      expect(found).toEqual([]);
    });
  });

  describe('timing-safe comparison of secrets', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return sources(path);
        return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
      });
    const files = sources(join(ROOT, 'src'));

    // That each secret is compared whole, in constant time, and tokens by digest, is checked by
    // behaviour (the right value accepted, every other of its length refused, the decision
    // made by crypto.timingSafeEqual) in test/unit/secret-comparison.spec.ts. The queue
    // dashboard's Basic password goes through the same authenticate() (process.e2e-spec.ts).
    it('has no ===/!== comparison of a token, receipt, signature, secret, password or digest', () => {
      const SECRET = '(?:token|receipt|signature|secret|password|digest|hmac|mac)\\w*';
      const pattern = new RegExp(
        `\\b${SECRET}\\b(?:\\.\\w+)?\\s*[!=]==|[!=]==\\s*(?:this\\.)?${SECRET}\\b`,
        'i',
      );
      const offending: string[] = [];
      for (const file of files) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (!pattern.test(line)) return;
            // Comparing a length, a type or a role/kind is not comparing the secret.
            if (
              /\.length\b|typeof |\.role\b|\.kind\b|=== undefined|=== null|!== undefined|!== null/.test(
                line,
              )
            )
              return;
            offending.push(`${file.slice(ROOT.length)}:${i + 1}: ${line.trim()}`);
          });
      }
      expect(offending).toEqual([]);
    });

    it('reads a receipt that is wrong in its last character, or too short, as no comment', async () => {
      const res = await submit(t, uniqueArticle(), makeComment(), { siteId: 'open' });
      const receipt = res.body.receipt as string;
      const flip = receipt.slice(0, -1) + (receipt.endsWith('A') ? 'B' : 'A');
      expect((await t.http.get(`/v1/comments/${res.body.id}?receipt=${receipt}`)).status).toBe(200);
      for (const wrong of [flip, receipt.slice(0, -1), `${receipt}A`, '']) {
        const r = await t.http.get(
          `/v1/comments/${res.body.id}?receipt=${encodeURIComponent(wrong)}`,
        );
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
      }
    });
  });
});
