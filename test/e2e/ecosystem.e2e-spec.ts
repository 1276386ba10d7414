import { auth } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Small things an operator or integrator meets first (issue 15, "operator comfort"). */
describe('operator comfort', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs the migrations of a new database one by one as they run', () => {
    const lines = t.logs
      .map((line) => JSON.parse(line) as { context?: string; msg?: string; time: number })
      .filter((entry) => entry.context === 'Database');
    const messages = lines.map((entry) => entry.msg ?? '');
    const count = Number(/^Running (\d+) migration/m.exec(messages.join('\n'))?.[1]);
    expect(count).toBeGreaterThan(0);
    for (let i = 1; i <= count; i += 1) {
      expect(
        messages.some((m) => m.startsWith(`Migration ${i}/${count}: `) && m.endsWith('…')),
      ).toBe(true);
      expect(
        messages.some((m) => new RegExp(`^Migration ${i}/${count}: .* done in \\d+ ms$`).test(m)),
      ).toBe(true);
    }
  });

  it('serves a favicon (SVG and ICO) instead of a 404 on every page view', async () => {
    const svg = await t.http.get('/favicon.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const ico = await t.http.get('/favicon.ico').buffer(true);
    expect(ico.status).toBe(200);
    expect(ico.headers['content-type']).toBe('image/x-icon');
    const bytes = ico.body as Buffer;
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    expect(bytes.subarray(22, 26).toString('latin1')).toBe('\x89PNG');
    const page = await t.http.get('/demo/hello');
    expect(page.text).toContain('<link rel="icon" href="/favicon.svg"');
  });

  it('puts the demo banner inside a landmark (the page header)', async () => {
    const page = await t.http.get('/demo/hello');
    expect(page.text).toMatch(
      /<header>\s*<div class="masthead">[^]*class="demo-note"[^]*<\/header>/,
    );
  });

  it('accepts a DELETE sent with a JSON content type and an empty body', async () => {
    const token = await t.http
      .post('/v1/admin/tokens')
      .set(auth())
      .send({ name: 'to revoke', role: 'service' });
    expect(token.status).toBe(201);
    const res = await t.http
      .delete(`/v1/admin/tokens/${(token.body as { id: string }).id}`)
      .set(auth())
      .set('content-type', 'application/json');
    expect(res.status).toBe(204);
    // A body that is there is still parsed (and must be JSON).
    const bad = await t.http
      .delete(`/v1/admin/tokens/${(token.body as { id: string }).id}`)
      .set(auth())
      .set('content-type', 'application/json')
      .send('{not json');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
