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
    expect(ok.body).toEqual({ id: res.body.id, status: 'pending' });
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
    await t.http.post(url).set('content-type', 'application/json').send('{');
    const after = await db.query(`SELECT count(*)::int AS n FROM comments`);
    expect(after[0].n).toBe(before[0].n);
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
