import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ role: 'api' });
  });
  afterAll(() => t.close());

  it('reports liveness and readiness of PostgreSQL and Redis', async () => {
    expect((await t.http.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({
      database: { status: 'up' },
      redis: { status: 'up' },
    });
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
