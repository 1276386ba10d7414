import { ModulesContainer } from '@nestjs/core';
import { ROLES_KEY } from '../../src/auth/bearer-auth.guard.js';
import { auth, putSite } from '../utils/api.js';
import { startService, type ServiceProcess } from '../utils/service-process.js';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * The authorisation matrix, derived from the application itself: every route of every
 * controller is found through Nest's metadata, so a route added without being classified here
 * fails this test. Each protected route is then called with no token, bad tokens and a token of
 * every role, over real HTTP.
 */

/** Who may call what, by path. A route outside these prefixes must be in PUBLIC. */
const POLICY: Array<[RegExp, string[]]> = [
  [/^\/v1\/admin\//, ['admin']],
  [/^\/v1\/moderation\//, ['moderator', 'admin']],
  [/^\/v1\/events$/, ['service', 'admin']],
];

/** Routes anyone may call, and why. */
const PUBLIC = new Set([
  'POST /v1/sites/:siteId/articles/:articleId/comments', // readers submit
  'GET /v1/sites/:siteId/articles/:articleId/comments', // readers read
  'GET /v1/sites/:siteId/articles/:articleId/comments/stream', // live thread
  'GET /v1/sites/:siteId/counts', // comment counts under article lists
  'GET /v1/comments/:id', // the author's own status, gated by its receipt
  'PATCH /v1/comments/:id', // the author's edit, gated by its receipt
  'DELETE /v1/comments/:id', // the author's delete, gated by its receipt
  'POST /v1/comments/:id/appeal', // the author's appeal, gated by its receipt
  'POST /v1/comments/:id/flags', // readers report published comments
  'GET /v1/challenge', // proof of work for the widget
  'POST /v1/comments/:id/reactions', // readers like a published comment (one per reader)
  'DELETE /v1/comments/:id/reactions', // …and take it back
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'GET /widget.js',
  'GET /demo/:articleId',
  'GET /favicon.svg', // the service's icon
  'GET /favicon.ico',
  'GET /moderate', // the console's shell: it holds no data, signs in with a token
  'GET /moderate/app.js',
  'GET /moderate/app.css',
  // Links in reply-notification mail: each acts only with its signed token (HMAC).
  'GET /v1/subscriptions/confirm', // a page with a button; never confirms by itself
  'POST /v1/subscriptions/confirm',
  'GET /v1/subscriptions/unsubscribe',
  'POST /v1/subscriptions/unsubscribe', // RFC 8058 one-click
]);

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD'];
const ZERO_ID = '00000000-0000-4000-8000-000000000000';

interface Route {
  method: string;
  path: string;
  roles: string[] | undefined;
}

function discoverRoutes(t: TestApp): Route[] {
  const routes: Route[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const base = String(Reflect.getMetadata('path', type) ?? '');
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const sub = Reflect.getMetadata('path', handler) as string | undefined;
        const method = Reflect.getMetadata('method', handler) as number | undefined;
        if (sub === undefined || method === undefined) continue;
        const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
        routes.push({
          method: METHODS[method],
          path,
          roles:
            (Reflect.getMetadata(ROLES_KEY, handler) as string[] | undefined) ??
            (Reflect.getMetadata(ROLES_KEY, type) as string[] | undefined),
        });
      }
    }
  }
  return routes;
}

const fill = (path: string) =>
  path.replace(':siteId', 'site-a').replace(':articleId', 'some-article').replace(/:id\b/, ZERO_ID);

describe('the authorisation matrix of every non-public route', () => {
  let t: TestApp;
  let base: string;
  let routes: Route[];
  const tokens: Record<string, string> = {};

  const createToken = async (body: Record<string, unknown>) => {
    const res = await t.http.post('/v1/admin/tokens').set(auth()).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; token: string };
  };

  beforeAll(async () => {
    t = await createTestApp({ role: 'api', env: { LOG_LEVEL: 'fatal' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    await putSite(t, 'site-a', { name: 'A' });
    for (const role of ['moderator', 'service', 'admin']) {
      tokens[role] = (await createToken({ name: role, role })).token;
    }
    const revoked = await createToken({ name: 'old', role: 'admin' });
    tokens.revoked = revoked.token;
    await t.http.delete(`/v1/admin/tokens/${revoked.id}`).set(auth()).expect(204);
    routes = discoverRoutes(t);
  });
  afterAll(() => t.close());

  /** Status of one call; an event stream is closed as soon as its status arrives. */
  async function call(route: Route, authorization?: string): Promise<number> {
    const controller = new AbortController();
    const headers: Record<string, string> = {};
    if (authorization) headers.authorization = authorization;
    let body: string | undefined;
    if (['POST', 'PUT', 'PATCH'].includes(route.method)) {
      headers['content-type'] = 'application/json';
      body = '{}';
    }
    const res = await fetch(`${base}${fill(route.path)}`, {
      method: route.method,
      headers,
      body,
      signal: controller.signal,
    });
    const status = res.status;
    controller.abort();
    await res.body?.cancel().catch(() => undefined);
    return status;
  }

  it('finds every controller route, and classifies each as public or by its roles', () => {
    expect(routes.length).toBeGreaterThan(30);
    const unclassified: string[] = [];
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const policy = POLICY.find(([pattern]) => pattern.test(r.path));
      if (policy) {
        expect({ route: key, roles: [...(r.roles ?? [])].sort() }).toEqual({
          route: key,
          roles: [...policy[1]].sort(),
        });
      } else if (PUBLIC.has(key)) {
        expect({ route: key, roles: r.roles }).toEqual({ route: key, roles: undefined });
      } else {
        unclassified.push(key);
      }
    }
    expect(unclassified).toEqual([]);
    // Every public route listed here still exists.
    const found = new Set(routes.map((r) => `${r.method} ${r.path}`));
    expect([...PUBLIC].filter((k) => !found.has(k))).toEqual([]);
  });

  it('answers 401 to every protected route without a valid bearer token', async () => {
    const bad = [
      undefined,
      'Bearer',
      'Bearer not-a-token',
      `Bearer ${tokens.revoked}`,
      `Bearer ${ADMIN_TOKEN}x`,
      `Bearer ${ADMIN_TOKEN.slice(0, -1)}`,
      `Bearer ${ADMIN_TOKEN.slice(0, -1)}${ADMIN_TOKEN.endsWith('a') ? 'b' : 'a'}`, // same length
      `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`, // API routes: Bearer only
      `Bearer ${'x'.repeat(600)}`,
      ADMIN_TOKEN,
    ];
    const wrong: string[] = [];
    for (const r of routes.filter((r) => r.roles)) {
      for (const authorization of bad) {
        const status = await call(r, authorization);
        if (status !== 401) wrong.push(`${r.method} ${r.path} with ${authorization}: ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 to a token without the role and lets each listed role past the guard', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((r) => r.roles)) {
      for (const role of ['moderator', 'service', 'admin']) {
        const status = await call(r, `Bearer ${tokens[role]}`);
        const allowed = r.roles!.includes(role);
        if (allowed ? status === 401 || status === 403 : status !== 403) {
          wrong.push(`${r.method} ${r.path} as ${role}: ${status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets anyone call the public routes (no 401 or 403)', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((r) => !r.roles)) {
      const status = await call(r);
      if (status === 401 || status === 403 || status >= 500) wrong.push(`${r.path}: ${status}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the queue dashboard (/admin/queues) on a real process', () => {
  let service: ServiceProcess;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    service = await startService({ ROLE: 'api', LOG_LEVEL: 'warn' });
    for (const role of ['moderator', 'service']) {
      const res = await fetch(`${service.url}/v1/admin/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: role, role }),
      });
      tokens[role] = ((await res.json()) as { token: string }).token;
    }
  }, 60_000);
  afterAll(async () => {
    service.child.kill('SIGTERM');
    await service.exited;
  });

  const basic = (password: string) =>
    `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

  it('admits admin tokens only, as Bearer or as the Basic password', async () => {
    const sameLength = ADMIN_TOKEN.slice(0, -1) + (ADMIN_TOKEN.endsWith('a') ? 'b' : 'a');
    const refused = [
      undefined,
      `Bearer ${tokens.moderator}`,
      `Bearer ${tokens.service}`,
      basic(tokens.moderator),
      basic(tokens.service),
      basic(sameLength),
      basic(''),
      `Bearer ${sameLength}`,
      'Basic !!!',
    ];
    for (const path of [
      '/admin/queues',
      '/admin/queues/api/queues',
      '/admin/queues/api/queues/spam/pause',
    ]) {
      for (const authorization of refused) {
        const res = await fetch(`${service.url}${path}`, {
          method: path.endsWith('pause') ? 'PUT' : 'GET',
          headers: authorization ? { authorization } : {},
        });
        expect({ path, authorization, status: res.status }).toEqual({
          path,
          authorization,
          status: 401,
        });
        expect(await res.text()).not.toMatch(/spam|moderation/);
      }
    }
    for (const authorization of [`Bearer ${ADMIN_TOKEN}`, basic(ADMIN_TOKEN)]) {
      const res = await fetch(`${service.url}/admin/queues/api/queues`, {
        headers: { authorization },
      });
      expect(res.status).toBe(200);
    }
  });
});
