import { randomUUID } from 'node:crypto';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, submit } from '../utils/api.js';
import { createTestApp, waitFor, type TestApp } from '../utils/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface LogLine {
  level: number;
  msg: string;
  req?: { id?: string; method?: string; path?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  context?: string;
}

/** Every request gets an id, is logged once at its end, and lends its id to what it logs. */
describe('request ids and request logging', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Debug, so that successful requests are logged too.
    t = await createTestApp({ role: 'api', env: { LOG_LEVEL: 'debug' } });
  });
  afterAll(() => t.close());

  const parsed = (): LogLine[] => t.logs.map((line) => JSON.parse(line) as LogLine);
  const linesOf = (id: string) => parsed().filter((line) => line.req?.id === id);
  const completedOf = (id: string) => linesOf(id).filter((l) => l.msg === 'request completed');
  const rawLinesOf = (id: string) => t.logs.filter((line) => line.includes(id));

  /** The request's own log line, once the response has finished. */
  const completed = (id: string) =>
    waitFor(() => Promise.resolve(completedOf(id)[0]), { what: `the log line of ${id}` });

  it('answers with a fresh UUID as x-request-id, or the caller’s when it is a valid one', async () => {
    const fresh = await t.http.get('/v1/sites/default/counts?articles=a');
    expect(fresh.status).toBe(200);
    expect(fresh.headers['x-request-id']).toMatch(UUID);
    const other = await t.http.get('/v1/sites/default/counts?articles=a');
    expect(other.headers['x-request-id']).toMatch(UUID);
    expect(other.headers['x-request-id']).not.toBe(fresh.headers['x-request-id']);

    const given = `edge-${randomUUID()}`;
    const echoed = await t.http.get('/v1/sites/default/counts').set('x-request-id', given);
    expect(echoed.headers['x-request-id']).toBe(given);

    for (const bad of ['has spaces in it', 'a'.repeat(129), '<script>', 'x\u00e9']) {
      const res = await t.http.get('/v1/sites/default/counts').set('x-request-id', bad);
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
  });

  it('sets x-request-id on errors, unknown routes, early answers and health checks too', async () => {
    const notFound = await t.http.get('/no/such/route');
    expect(notFound.status).toBe(404);
    expect(notFound.headers['x-request-id']).toMatch(UUID);

    const unsupported = await t.http
      .post(`/v1/sites/default/articles/${uniqueArticle()}/comments`)
      .set('content-type', 'text/plain')
      .send('hello');
    expect(unsupported.status).toBe(415);
    expect(unsupported.headers['x-request-id']).toMatch(UUID);

    const invalid = await submit(t, uniqueArticle(), { name: 'x' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers['x-request-id']).toMatch(UUID);

    const health = await t.http.get('/health/live');
    expect(health.headers['x-request-id']).toMatch(UUID);
  });

  it('logs each request once at its end: method, path without query, status, time', async () => {
    const ok = await t.http.get('/v1/sites/default/counts?articles=query-secret-4417');
    const okId = String(ok.headers['x-request-id']);
    const line = await completed(okId);
    expect(line).toMatchObject({
      level: 20, // debug for 2xx
      req: { id: okId, method: 'GET', path: '/v1/sites/default/counts' },
      res: { statusCode: 200 },
    });
    expect(typeof line.responseTime).toBe('number');

    const missing = await t.http.get('/no/such/route?q=1');
    const missingLine = await completed(String(missing.headers['x-request-id']));
    expect(missingLine).toMatchObject({
      level: 30, // info for 4xx
      req: { method: 'GET', path: '/no/such/route' },
      res: { statusCode: 404 },
    });

    // Give any late duplicate a chance to show before counting.
    await t.http.get('/v1/sites/default/counts');
    expect(completedOf(okId)).toHaveLength(1);
    expect(rawLinesOf(okId).join('\n')).not.toContain('query-secret-4417');
  });

  it('does not log health checks', async () => {
    const id = `health-${randomUUID()}`;
    await t.http.get('/health/live').set('x-request-id', id);
    const after = await t.http.get('/v1/sites/default/counts');
    await completed(String(after.headers['x-request-id']));
    expect(rawLinesOf(id)).toEqual([]);
  });

  it('keeps emails, names, bodies, addresses, query strings and credentials out of the log', async () => {
    const id = `submit-${randomUUID()}`;
    const comment = makeComment({
      name: 'Zebulon Quartermain',
      email: 'zebulon.quartermain@example.org',
      website: 'https://zebulon.example.org/',
      body: 'A very distinctive body: marmalade-kumquat-7731.',
    });
    const res = await t.http
      .post(`/v1/sites/default/articles/${uniqueArticle()}/comments?utm_source=newsletter-9931`)
      .set('content-type', 'application/json')
      .set('x-request-id', id)
      .set('authorization', 'Bearer reader-credential-5512')
      .set('x-forwarded-for', '203.0.113.77')
      .send(comment);
    expect(res.status).toBe(202);
    expect(res.headers['x-request-id']).toBe(id);

    const line = await completed(id);
    expect(line).toMatchObject({
      req: {
        id,
        method: 'POST',
        path: expect.stringMatching(/^\/v1\/sites\/default\/articles\/[^?]+\/comments$/),
      },
      res: { statusCode: 202 },
    });
    expect(Object.keys(line.req ?? {}).sort()).toEqual(['id', 'method', 'path']);

    const text = t.logs.join('\n').toLowerCase();
    for (const secret of [
      'zebulon',
      'quartermain',
      'marmalade-kumquat',
      'newsletter-9931',
      'reader-credential-5512',
      '203.0.113.77',
    ]) {
      expect(text).not.toContain(secret);
    }
    const requestText = rawLinesOf(id).join('\n');
    expect(requestText).not.toMatch(/127\.0\.0\.1|::1|::ffff|remoteAddress|headers/);
  });

  it('gives a service’s log lines during a request the request’s id', async () => {
    const id = `admin-${randomUUID()}`;
    const res = await t.http
      .post('/v1/admin/webhooks')
      .set(auth())
      .set('x-request-id', id)
      .send({ url: 'http://127.0.0.1:9/hook', events: ['comment.approved'] });
    expect(res.status).toBe(201);

    await completed(id);
    const serviceLine = linesOf(id).find((line) => line.msg === 'Webhook endpoint registered');
    expect(serviceLine).toMatchObject({
      context: 'WebhooksService',
      req: { id, method: 'POST', path: '/v1/admin/webhooks' },
    });
    // Concurrent requests keep their own ids.
    const ids = Array.from({ length: 5 }, () => `concurrent-${randomUUID()}`);
    await Promise.all(
      ids.map((each) =>
        t.http
          .post('/v1/admin/webhooks')
          .set(auth())
          .set('x-request-id', each)
          .send({ url: 'http://127.0.0.1:9/hook', events: ['comment.approved'] })
          .expect(201),
      ),
    );
    for (const each of ids) {
      await completed(each);
      expect(linesOf(each).map((line) => line.msg)).toEqual([
        'Webhook endpoint registered',
        'request completed',
      ]);
    }
  });
});
