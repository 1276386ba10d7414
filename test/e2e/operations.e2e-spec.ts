import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../../src/redis/redis.module.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** A driver error as pg raises it when nothing listens: it names an internal address. */
function refused(port: number): Error {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
    address: '127.0.0.1',
    port,
  });
}

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ role: 'api' });
  });
  afterAll(() => t.close());

  it('reports liveness, readiness of PostgreSQL (and Redis) and which transport runs', async () => {
    expect((await t.http.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    const onRedis = t.config.transport === 'redis';
    expect(ready.body.details).toEqual({
      database: { status: 'up' },
      ...(onRedis ? { redis: { status: 'up' } } : {}),
    });
    expect(ready.body.transport).toEqual({
      name: onRedis ? 'redis' : 'postgres',
      eventStream: onRedis,
    });
  });

  it("answers 503 with fixed messages, never the driver's, when PostgreSQL or Redis is down", async () => {
    const db = t.app.get(DataSource);
    // Null on the PostgreSQL transport: then only PostgreSQL is checked.
    const redis = t.app.get<Redis | null>(REDIS);
    const query = db.query.bind(db);
    const ping = redis?.ping.bind(redis);
    const leaks = ['ECONNREFUSED', '127.0.0.1', '5440', '6390', 'connect'];
    try {
      db.query = (() => Promise.reject(refused(5440))) as typeof db.query;
      const dbDown = await t.http.get('/health/ready');
      expect(dbDown.status).toBe(503);
      expect(dbDown.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(dbDown.body).toMatchObject({
        status: 503,
        detail: expect.any(String),
        checks: {
          database: { status: 'down', message: 'PostgreSQL did not answer' },
          ...(redis ? { redis: { status: 'up' } } : {}),
        },
      });
      for (const leak of leaks) expect(JSON.stringify(dbDown.body)).not.toContain(leak);
      if (!redis) return;

      redis.ping = () => Promise.reject<'PONG'>(refused(6390));
      const bothDown = await t.http.get('/health/ready');
      expect(bothDown.status).toBe(503);
      expect(bothDown.body.checks).toEqual({
        database: { status: 'down', message: 'PostgreSQL did not answer' },
        redis: { status: 'down', message: 'Redis did not answer' },
      });
      for (const leak of leaks) expect(JSON.stringify(bothDown.body)).not.toContain(leak);
    } finally {
      db.query = query;
      if (redis && ping) redis.ping = ping;
    }
    expect((await t.http.get('/health/ready')).status).toBe(200);
  });

  it('serves the OpenAPI contract with every public path', async () => {
    const res = await t.http.get('/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/sites/{siteId}/articles/{articleId}/comments',
        '/v1/sites/{siteId}/counts',
        '/v1/comments/{id}',
        '/v1/moderation/comments',
        '/v1/moderation/comments/{id}/decision',
        '/v1/admin/sites/{siteId}',
        '/health/ready',
      ]),
    );
  });

  it('exposes Prometheus metrics including queue depths', async () => {
    await t.http.get('/health/live');
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/queue_jobs\{[^}]*queue="spam"/);
  });

  it('sends security headers', async () => {
    const res = await t.http.get('/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
