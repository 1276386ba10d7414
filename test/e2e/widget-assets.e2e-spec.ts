import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildWidget, WIDGET_BUNDLE } from '../utils/browser.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

// 36 KB: the widget's own code is about 16 KB, DOMPurify (the browser-side sanitiser) about 12,
// trust and safety (report, edit, delete, statement of reasons, review; five languages) about 6.
const BUDGET_GZIP_BYTES = 36 * 1024;

describe('the widget files: /widget.js and /demo/{articleId}', () => {
  let t: TestApp;

  beforeAll(async () => {
    buildWidget();
    t = await createTestApp({ role: 'api' });
  });
  afterAll(() => t.close());

  it('keeps the built widget within 30 KB gzipped', () => {
    const bundle = readFileSync(WIDGET_BUNDLE);
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    expect(bundle.length).toBeGreaterThan(1000);
  });

  it('serves the bundle as JavaScript with an ETag, a 5-minute public cache and 304s', async () => {
    const res = await t.http.get('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.text).toBe(readFileSync(WIDGET_BUNDLE, 'utf8'));
    const etag = res.headers.etag;
    expect(etag).toMatch(/^"w-[A-Za-z0-9_-]{22}"$/);

    const again = await t.http.get('/widget.js').set('If-None-Match', `"other", ${etag}`);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers.etag).toBe(etag);
    expect((await t.http.get('/widget.js').set('If-None-Match', '"stale"')).status).toBe(200);
  });

  it('serves a demo article page that loads the widget without any inline script', async () => {
    const res = await t.http.get('/demo/ferry-returns');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const html = res.text;
    expect(html).toContain('<div data-comments data-site="default" data-article="ferry-returns">');
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toEqual(['<script src="/widget.js" defer>']);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);

    const other = await t.http.get('/demo/a.b~c:d?site=post-site');
    expect(other.text).toContain('data-site="post-site" data-article="a.b~c:d"');
  });

  it('refuses article and site ids outside the contract with a 400 problem', async () => {
    const badArticle = await t.http.get('/demo/%3Cscript%3E');
    expect(badArticle.status).toBe(400);
    expect(badArticle.headers['content-type']).toMatch(/^application\/problem\+json/);
    const badSite = await t.http.get('/demo/fine?site=%22%3E%3Cscript%3E');
    expect(badSite.status).toBe(400);
    expect(badSite.body.errors).toEqual([{ field: 'site', message: expect.any(String) }]);
  });

  it('is not served by the worker role', async () => {
    const worker = await createTestApp({ role: 'worker', shareWith: t });
    try {
      expect((await worker.http.get('/widget.js')).status).toBe(404);
      expect((await worker.http.get('/demo/ferry-returns')).status).toBe(404);
      expect((await worker.http.get('/health/live')).status).toBe(200);
    } finally {
      await worker.close();
    }
  });
});
