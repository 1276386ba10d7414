import { DataSource } from 'typeorm';
import { CryptoService } from '../../src/common/crypto/crypto.service.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('bearer tokens and roles', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let heldA: string;
  let heldB: string;

  const createToken = async (body: Record<string, unknown>) => {
    const res = await t.http.post('/v1/admin/tokens').set(auth()).send(body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), token: expect.any(String) });
    return res.body as { id: string; token: string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await putSite(t, 'site-a', { name: 'A', settings: { moderation: { mode: 'pre' } } });
    await putSite(t, 'site-b', { name: 'B', settings: { moderation: { mode: 'pre' } } });
    tokens.moderator = (await createToken({ name: 'mods', role: 'moderator' })).token;
    tokens.moderatorA = (
      await createToken({ name: 'a', role: 'moderator', siteIds: ['site-a'] })
    ).token;
    tokens.service = (await createToken({ name: 'search', role: 'service' })).token;
    tokens.admin = (await createToken({ name: 'ops', role: 'admin' })).token;
    const revoked = await createToken({ name: 'old', role: 'admin' });
    tokens.revoked = revoked.token;
    await t.http.delete(`/v1/admin/tokens/${revoked.id}`).set(auth()).expect(204);
    const article = uniqueArticle();
    heldA = (await submit(t, article, makeComment(), { siteId: 'site-a' })).body.id;
    heldB = (await submit(t, article, makeComment(), { siteId: 'site-b' })).body.id;
    await waitForStatus(t, heldA, ['held']);
    await waitForStatus(t, heldB, ['held']);
  });
  afterAll(() => t.close());

  const routes = () => [
    { method: 'get', path: '/v1/moderation/comments', roles: ['moderator', 'admin'] },
    { method: 'get', path: `/v1/moderation/comments/${heldA}`, roles: ['moderator', 'admin'] },
    {
      method: 'post',
      path: `/v1/moderation/comments/${heldA}/decision`,
      body: { action: 'bogus' },
      roles: ['moderator', 'admin'],
    },
    {
      method: 'post',
      path: '/v1/moderation/decisions',
      body: { ids: [], action: 'approve' },
      roles: ['moderator', 'admin'],
    },
    {
      method: 'delete',
      path: '/v1/moderation/comments/00000000-0000-4000-8000-000000000000',
      roles: ['moderator', 'admin'],
    },
    { method: 'get', path: '/v1/moderation/bans', roles: ['moderator', 'admin'] },
    { method: 'post', path: '/v1/moderation/bans', body: {}, roles: ['moderator', 'admin'] },
    {
      method: 'delete',
      path: '/v1/moderation/bans/00000000-0000-4000-8000-000000000000',
      roles: ['moderator', 'admin'],
    },
    { method: 'get', path: '/v1/admin/sites', roles: ['admin'] },
    { method: 'post', path: '/v1/admin/privacy/export', body: {}, roles: ['admin'] },
    { method: 'post', path: '/v1/admin/privacy/erase', body: {}, roles: ['admin'] },
    { method: 'get', path: '/v1/admin/audit', roles: ['admin'] },
    { method: 'get', path: '/v1/admin/sites/site-a', roles: ['admin'] },
    { method: 'put', path: '/v1/admin/sites/site-z', body: { name: '' }, roles: ['admin'] },
    { method: 'put', path: '/v1/admin/sites/site-a/articles/x', body: {}, roles: ['admin'] },
    { method: 'get', path: '/v1/admin/tokens', roles: ['admin'] },
    { method: 'post', path: '/v1/admin/tokens', body: {}, roles: ['admin'] },
    {
      method: 'delete',
      path: '/v1/admin/tokens/00000000-0000-4000-8000-000000000000',
      roles: ['admin'],
    },
  ];

  const call = (r: { method: string; path: string; body?: object }, token?: string) => {
    const req = (t.http as unknown as Record<string, (p: string) => import('supertest').Test>)[
      r.method
    ](r.path);
    if (token) void req.set('Authorization', `Bearer ${token}`);
    if (r.body) void req.set('content-type', 'application/json').send(r.body);
    return req;
  };

  it('answers 401 without a token, with a wrong one and with a revoked one', async () => {
    for (const r of routes()) {
      for (const token of [undefined, 'not-a-token', tokens.revoked]) {
        const res = await call(r, token);
        expect({ route: r.path, status: res.status }).toEqual({ route: r.path, status: 401 });
        expect(res.headers['content-type']).toMatch(/problem\+json/);
      }
    }
  });

  it('answers 403 to a token without the role, and lets the right role through', async () => {
    for (const r of routes()) {
      for (const role of ['moderator', 'service', 'admin']) {
        const res = await call(r, tokens[role]);
        if (r.roles.includes(role)) {
          // Past the guard: success or the route's own validation/404, never 401/403.
          expect({ route: r.path, role, ok: ![401, 403].includes(res.status) }).toEqual({
            route: r.path,
            role,
            ok: true,
          });
        } else {
          expect({ route: r.path, role, status: res.status }).toEqual({
            route: r.path,
            role,
            status: 403,
          });
        }
      }
    }
  });

  it('confines a site-scoped moderator to its sites', async () => {
    const own = await t.http.get(`/v1/moderation/comments/${heldA}`).set(auth(tokens.moderatorA));
    expect(own.status).toBe(200);
    const other = await t.http.get(`/v1/moderation/comments/${heldB}`).set(auth(tokens.moderatorA));
    expect(other.status).toBe(403);
    const decide = await t.http
      .post(`/v1/moderation/comments/${heldB}/decision`)
      .set(auth(tokens.moderatorA))
      .send({ action: 'approve' });
    expect(decide.status).toBe(403);
    const listOther = await t.http
      .get('/v1/moderation/comments?siteId=site-b')
      .set(auth(tokens.moderatorA));
    expect(listOther.status).toBe(403);
    const list = await t.http.get('/v1/moderation/comments?limit=200').set(auth(tokens.moderatorA));
    const sites = new Set(list.body.items.map((i: { siteId: string }) => i.siteId));
    expect(sites).toEqual(new Set(['site-a']));
    const bulk = await t.http
      .post('/v1/moderation/decisions')
      .set(auth(tokens.moderatorA))
      .send({ ids: [heldA, heldB, '00000000-0000-4000-8000-000000000000'], action: 'reject' });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results).toEqual([
      { id: heldA, status: 'rejected' },
      { id: heldB, error: expect.any(String) },
      { id: '00000000-0000-4000-8000-000000000000', error: expect.any(String) },
    ]);
  });

  it('lets a site-scoped moderator ban only on its own site', async () => {
    const global = await t.http
      .post('/v1/moderation/bans')
      .set(auth(tokens.moderatorA))
      .send({ ip: '192.0.2.1', reason: 'x' });
    expect(global.status).toBe(403);
    const other = await t.http
      .post('/v1/moderation/bans')
      .set(auth(tokens.moderatorA))
      .send({ siteId: 'site-b', ip: '192.0.2.1', reason: 'x' });
    expect(other.status).toBe(403);
    const own = await t.http
      .post('/v1/moderation/bans')
      .set(auth(tokens.moderatorA))
      .send({ siteId: 'site-a', ip: '192.0.2.1', reason: 'x' });
    expect(own.status).toBe(201);
    const adminBan = await t.http
      .post('/v1/moderation/bans')
      .set(auth())
      .send({ siteId: 'site-b', ip: '192.0.2.2', reason: 'y' });
    const list = await t.http.get('/v1/moderation/bans').set(auth(tokens.moderatorA));
    const ids = list.body.items.map((b: { id: string }) => b.id);
    expect(ids).toContain(own.body.id);
    expect(ids).not.toContain(adminBan.body.id);
    const lift = await t.http
      .delete(`/v1/moderation/bans/${adminBan.body.id}`)
      .set(auth(tokens.moderatorA));
    expect(lift.status).toBe(403);
    const del = await t.http
      .delete(`/v1/moderation/comments/${heldB}`)
      .set(auth(tokens.moderatorA));
    expect(del.status).toBe(403);
  });

  it('refuses an admin token limited to sites (admin is global) and an empty site list', async () => {
    const names = async () =>
      (
        (await t.http.get('/v1/admin/tokens').set(auth())).body.items as Array<{ name: string }>
      ).map((i) => i.name);
    for (const body of [
      { name: 'scoped-admin', role: 'admin', siteIds: ['default'] },
      { name: 'scoped-admin', role: 'admin', siteIds: ['site-a', 'site-b'] },
      { name: 'scoped-admin', role: 'admin', siteIds: [] },
    ]) {
      const res = await t.http.post('/v1/admin/tokens').set(auth()).send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: '/problems/validation-error', status: 400 });
      expect(res.body.errors).toContainEqual({
        field: 'siteIds',
        message: expect.stringContaining('admin token is global'),
      });
      expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(
        new Set(['siteIds']),
      );
    }
    // An empty list would have meant "every site": refused for every role.
    for (const role of ['moderator', 'service']) {
      const res = await t.http
        .post('/v1/admin/tokens')
        .set(auth())
        .send({ name: 'empty-list', role, siteIds: [] });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['siteIds']);
    }
    expect(await names()).not.toEqual(expect.arrayContaining(['scoped-admin']));
    expect(await names()).not.toEqual(expect.arrayContaining(['empty-list']));
    // Unscoped admins, and scoped moderators and services, are still made as before.
    expect((await createToken({ name: 'admin-null', role: 'admin', siteIds: null })).token).toEqual(
      expect.any(String),
    );
    await createToken({ name: 'service-a', role: 'service', siteIds: ['site-a'] });
  });

  it('refuses an admin token limited to sites that was stored before the rule', async () => {
    const legacy = CryptoService.newToken();
    await t.app
      .get(DataSource)
      .query(
        `INSERT INTO api_tokens (name, role, site_ids, token_hash) VALUES ('legacy', 'admin', $1, $2)`,
        [['site-a'], CryptoService.hashToken(legacy)],
      );
    for (const [method, path, body] of [
      ['get', '/v1/admin/sites/site-b', undefined],
      ['put', '/v1/admin/sites/site-b/articles/x', { closed: true }],
      ['post', '/v1/admin/privacy/export', { email: 'someone@example.org' }],
      ['post', '/v1/admin/tokens', { name: 'escalated', role: 'admin' }],
      ['get', '/v1/moderation/comments', undefined],
    ] as const) {
      const res = await call({ method, path, body }, legacy);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
    const names = (await t.http.get('/v1/admin/tokens').set(auth())).body.items.map(
      (i: { name: string }) => i.name,
    );
    expect(names).not.toContain('escalated');
  });

  it('lets no site-scoped token create tokens, so none can mint a broader one', async () => {
    const serviceA = (await createToken({ name: 'svc-a', role: 'service', siteIds: ['site-a'] }))
      .token;
    for (const token of [tokens.moderatorA, serviceA]) {
      for (const body of [
        { name: 'escalated', role: 'admin' },
        { name: 'escalated', role: 'moderator' },
        { name: 'escalated', role: 'moderator', siteIds: ['site-a'] },
      ]) {
        const res = await t.http.post('/v1/admin/tokens').set(auth(token)).send(body);
        expect(res.status).toBe(403);
      }
    }
  });

  it('shows tokens once, lists them without secrets and records their use', async () => {
    const list = await t.http.get('/v1/admin/tokens').set(auth(tokens.admin));
    expect(list.status).toBe(200);
    const text = JSON.stringify(list.body);
    for (const token of Object.values(tokens)) expect(text).not.toContain(token);
    const names = list.body.items.map((i: { name: string }) => i.name);
    expect(names).toEqual(expect.arrayContaining(['mods', 'a', 'search', 'ops']));
    expect(names).not.toContain('old');
    const ops = list.body.items.find((i: { name: string }) => i.name === 'ops');
    expect(ops.lastUsedAt).toEqual(expect.any(String));
  });

  it('creates a site with 201, replaces it with 200 and reads it back with defaults', async () => {
    const created = await putSite(t, 'fresh-site', {
      name: 'Fresh',
      allowedOrigins: ['https://fresh.example'],
    });
    expect(created.status).toBe(201);
    expect(created.body.settings.moderation).toMatchObject({
      mode: 'trusted',
      maxLinks: 2,
      maxDepth: 5,
    });
    const replaced = await putSite(t, 'fresh-site', {
      name: 'Fresh 2',
      settings: { moderation: { mode: 'post' } },
    });
    expect(replaced.status).toBe(200);
    const read = await t.http.get('/v1/admin/sites/fresh-site').set(auth());
    expect(read.body).toMatchObject({ id: 'fresh-site', name: 'Fresh 2', allowedOrigins: [] });
    expect(read.body.settings.moderation.mode).toBe('post');
    const all = await t.http.get('/v1/admin/sites').set(auth());
    expect(all.body.items.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['default', 'fresh-site', 'site-a']),
    );
  });
});
