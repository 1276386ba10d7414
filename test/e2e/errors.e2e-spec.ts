import { connect, type AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, submit } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Every way a request can be wrong gets an RFC 9457 problem, and nothing is stored. */
describe('bad input', () => {
  let t: TestApp;
  const article = uniqueArticle();
  const url = `/v1/sites/default/articles/${article}/comments`;

  beforeAll(async () => {
    t = await createTestApp({ role: 'api' });
  });
  afterAll(() => t.close());

  function expectProblem(
    res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
    status: number,
  ) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/at \w+ \(|node_modules|SELECT|INSERT|QueryFailedError|\.ts:\d+/);
  }

  const fieldsOf = (res: { body: { errors?: Array<{ field: string }> } }) =>
    (res.body.errors ?? []).map((e) => e.field);

  it.each([
    ['a missing name', { name: undefined }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a name over 100 characters', { name: 'n'.repeat(101) }, 'name'],
    ['a missing email', { email: undefined }, 'email'],
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['an email over 254 characters', { email: `${'a'.repeat(250)}@example.org` }, 'email'],
    ['a javascript: website', { website: 'javascript:alert(1)' }, 'website'],
    ['an ftp website', { website: 'ftp://example.org' }, 'website'],
    [
      'a website over 2048 characters',
      { website: `https://example.org/${'a'.repeat(2040)}` },
      'website',
    ],
    ['a missing body', { body: undefined }, 'body'],
    ['a whitespace-only body', { body: ' \n\t ' }, 'body'],
    ['a body over 10000 characters', { body: 'b'.repeat(10001) }, 'body'],
    ['a parentId that is not a UUID', { parentId: 'abc' }, 'parentId'],
    ['a field the reader may not set', { status: 'approved' }, 'status'],
    ['a spam score', { spamScore: 0 }, 'spamScore'],
    ['a name of the wrong type', { name: 42 }, 'name'],
    // JSON's \u escapes can carry text that is not Unicode; validators would throw on it.
    ['an email with a lone surrogate', { email: 'a\ud800@example.org' }, 'email'],
    ['a name with a lone surrogate', { name: '\udfff\ud800' }, 'name'],
  ])('answers 400 naming the field for %s', async (_what, override, field) => {
    const res = await submit(t, article, { ...makeComment(), ...override });
    expectProblem(res, 400);
    expect(fieldsOf(res)).toContain(field);
  });

  it('answers 400 for malformed JSON, and for JSON that is not an object', async () => {
    const bad = await t.http
      .post(url)
      .set('content-type', 'application/json')
      .send('{"name": "x",');
    expectProblem(bad, 400);
    const array = await t.http.post(url).set('content-type', 'application/json').send('[1,2]');
    expectProblem(array, 400);
  });

  it('answers 415 without application/json and 413 over 64 KiB', async () => {
    expectProblem(await t.http.post(url).set('content-type', 'text/plain').send('hello'), 415);
    expectProblem(
      await t.http
        .post(url)
        .set('content-type', 'application/x-www-form-urlencoded')
        .send('name=a&email=b'),
      415,
    );
    const huge = JSON.stringify({ ...makeComment(), body: 'x'.repeat(70 * 1024) });
    expectProblem(await t.http.post(url).set('content-type', 'application/json').send(huge), 413);
  });

  it('answers 400 for malformed path ids, 404 for unknown sites and comments', async () => {
    expectProblem(await submit(t, article, makeComment(), { siteId: 'Bad_Site' }), 400);
    expectProblem(await submit(t, 'bad article', makeComment()), 400);
    expectProblem(await submit(t, article, makeComment(), { siteId: 'no-such-site' }), 404);
    expectProblem(await t.http.get('/v1/sites/no-such-site/articles/a/comments'), 404);
    expectProblem(await t.http.get(`/v1/comments/not-a-uuid?receipt=x`), 404);
    expectProblem(await t.http.get('/no/such/route'), 404);
  });

  it('answers 400 for a bad cursor, limit or sort, and for unknown query fields', async () => {
    for (const q of [
      '?cursor=%%%',
      '?cursor=eyJrIjoieCJ9',
      '?limit=0',
      '?limit=201',
      '?limit=x',
      '?sort=best',
      '?status=spam',
    ]) {
      expectProblem(await t.http.get(`${url}${q}`), 400);
    }
  });

  it('answers 400 for counts of no articles, too many or malformed ones', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `a${i}`).join(',');
    for (const q of ['', '?articles=', `?articles=${many}`, '?articles=a,b%20c']) {
      expectProblem(await t.http.get(`/v1/sites/default/counts${q}`), 400);
    }
    const ok = await t.http.get(
      `/v1/sites/default/counts?articles=${Array.from({ length: 100 }, (_, i) => `a${i}`).join(',')}`,
    );
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body.counts)).toHaveLength(100);
  });

  it('reads a wrong receipt as an unknown comment', async () => {
    const res = await submit(t, article, makeComment());
    expect(res.status).toBe(202);
    expectProblem(
      await t.http.get(`/v1/comments/${res.body.id}?receipt=AAAAAAAAAAAAAAAAAAAAAAAA`),
      404,
    );
    expectProblem(
      await t.http.get(`/v1/comments/${res.body.id}?receipt=${res.body.receipt}x`),
      404,
    );
    expectProblem(await t.http.get(`/v1/comments/${res.body.id}`), 400);
    const ok = await t.http.get(`/v1/comments/${res.body.id}?receipt=${res.body.receipt}`);
    expect(ok.body).toMatchObject({ id: res.body.id, status: 'pending' });
  });

  it('answers 400 for a malformed Idempotency-Key', async () => {
    const res = await submit(t, article, makeComment(), { idempotencyKey: 'k'.repeat(201) });
    expectProblem(res, 400);
    expect(fieldsOf(res)).toEqual(['Idempotency-Key']);
  });

  it('stores nothing for a rejected request', async () => {
    const { DataSource } = await import('typeorm');
    const db = t.app.get(DataSource);
    const before = await db.query(`SELECT count(*)::int AS n FROM comments`);
    await submit(t, article, { ...makeComment(), status: 'approved' });
    await submit(t, article, { ...makeComment(), email: 'nope' });
    await submit(t, article, { ...makeComment(), body: 'Fine\udfff' });
    await t.http.post(url).set('content-type', 'application/json').send('{');
    const after = await db.query(`SELECT count(*)::int AS n FROM comments`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('answers a 500 with a detail that says nothing internal when the database is unreachable', async () => {
    const db = t.app.get(DataSource);
    const query = db.query.bind(db);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5440'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 5440,
    });
    const logged = t.logs.length;
    let res;
    try {
      db.query = (() => Promise.reject(refused)) as typeof db.query;
      res = await t.http
        .get('/v1/moderation/comments/00000000-0000-4000-8000-000000000000')
        .set(auth());
    } finally {
      db.query = query;
    }
    expectProblem(res, 500);
    expect(res.body).toMatchObject({
      type: '/problems/internal',
      title: 'Internal server error',
      detail: expect.stringContaining('logged'),
    });
    for (const leak of ['ECONNREFUSED', '127.0.0.1', '5440', 'connect']) {
      expect(JSON.stringify(res.body)).not.toContain(leak);
    }
    // What the detail promises: the operators have it in the log.
    expect(t.logs.slice(logged).some((line) => line.includes('Unhandled error'))).toBe(true);
  });

  it("gives every problem a detail, the framework's own ones included", async () => {
    const responses = [
      await t.http.get('/no/such/route'),
      await t.http.delete('/v1/sites/default/counts'),
      await t.http.get('/v1/moderation/comments'),
      await t.http.post(url).set('content-type', 'text/plain').send('hello'),
      await t.http.post(url).set('content-type', 'application/json').send('{"name": "x",'),
      await t.http.get(`/v1/sites/default/articles/${'a'.repeat(400)}/comments`),
    ];
    for (const res of responses) {
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect({ status: res.status, detail: typeof res.body.detail }).toEqual({
        status: res.status,
        detail: 'string',
      });
      expect(res.body.detail.length).toBeGreaterThan(0);
    }

    // What Node's HTTP parser refuses never reaches Fastify: answered from the status alone.
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const raw = (request: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => socket.end(request));
          let text = '';
          socket.setEncoding('utf8');
          socket.on('data', (chunk: string) => (text += chunk));
          socket.on('end', () => resolve(text));
          socket.on('error', reject);
        });
      for (const [request, status] of [
        [
          `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(32 * 1024)}\r\n\r\n`,
          431,
        ],
        ['GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400],
      ] as const) {
        const answer = await raw(request);
        expect(answer.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
        const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
        expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
        expect(typeof body.detail).toBe('string');
        expect(body.detail.length).toBeGreaterThan(0);
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('validates admin settings and reports each bad one', async () => {
    const res = await t.http
      .put('/v1/admin/sites/strict')
      .set(auth())
      .send({
        name: 'Strict',
        allowedOrigins: ['https://ok.example', 'https://bad.example/path'],
        settings: {
          moderation: { mode: 'sometimes', maxDepth: -1, unknown: true },
          spam: { spamThreshold: 2 },
          surprise: 1,
        },
      });
    expectProblem(res, 400);
    expect(fieldsOf(res)).toEqual(
      expect.arrayContaining([
        'allowedOrigins',
        'settings.moderation.mode',
        'settings.moderation.maxDepth',
        'settings.moderation.unknown',
        'settings.spam.spamThreshold',
        'settings.surprise',
      ]),
    );
    const inverted = await t.http
      .put('/v1/admin/sites/strict')
      .set(auth())
      .send({ name: 'Strict', settings: { spam: { spamThreshold: 0.4, holdThreshold: 0.6 } } });
    expectProblem(inverted, 400);
  });
});
