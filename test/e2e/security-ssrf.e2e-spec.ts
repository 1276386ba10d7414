import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { postWebhook } from '../../src/events/webhooks/webhook-http.js';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import { sql, startWebhookReceiver, type WebhookReceiver } from '../utils/events.js';
import { createTestApp, waitFor, type TestApp } from '../utils/test-app.js';

/**
 * Issue 13, item 3: webhooks cannot reach inside. Without WEBHOOK_ALLOW_PRIVATE, URLs on
 * non-public addresses are refused at registration (400), and a connection whose resolved
 * address is not public is refused at delivery time; the delivery log says so generically.
 */
describe('webhook SSRF guard', () => {
  let t: TestApp;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        WEBHOOK_ALLOW_PRIVATE: 'false',
        EVENTS_RELAY_POLL_MS: '100',
        WEBHOOK_MAX_ATTEMPTS: '1',
      },
    });
    await putSite(t, 'ssrf', { name: 'SSRF', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await t.close();
  });

  const register = (url: string) =>
    t.http
      .post('/v1/admin/webhooks')
      .set(auth())
      .send({ url, events: ['comment.approved'], siteId: 'ssrf' });

  it.each([
    'http://127.0.0.1/hook',
    'http://127.1/hook',
    'http://2130706433/hook',
    'http://0x7f000001/hook',
    'http://0177.0.0.1/hook',
    'http://0.0.0.0/hook',
    'http://localhost:8080/hook',
    'http://api.localhost/hook',
    'http://intranet/hook',
    'http://10.1.2.3/hook',
    'http://172.16.0.1/hook',
    'http://192.168.1.1/hook',
    'http://100.64.0.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://224.0.0.1/hook',
    'http://255.255.255.255/hook',
    'http://[::1]/hook',
    'http://[::]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:7f00:1]/hook',
    'http://[fe80::1]/hook',
    'http://[fc00::1]/hook',
    'http://[ff02::1]/hook',
    'http://[64:ff9b::a00:1]/hook',
    'http://[2002:7f00:1::]/hook',
  ])('refuses %s at registration with a 400', async (url) => {
    const res = await register(url);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
    expect(await sql(t, `SELECT 1 FROM webhook_endpoints WHERE url = $1`, [url])).toEqual([]);
  });

  it('accepts public names and addresses, and audits creation and deletion', async () => {
    for (const url of ['https://hooks.example.com/comments', 'http://93.184.216.34:8080/h']) {
      const res = await register(url);
      expect(res.status).toBe(201);
      expect((await t.http.delete(`/v1/admin/webhooks/${res.body.id}`).set(auth())).status).toBe(
        204,
      );
      const audit = await t.http.get('/v1/admin/audit?targetType=webhook').set(auth());
      const actions = (audit.body.items as Array<{ action: string; targetId: string }>)
        .filter((a) => a.targetId === res.body.id)
        .map((a) => a.action)
        .sort();
      expect(actions).toEqual(['webhook.create', 'webhook.delete']);
    }
  });

  it('refuses at connect time an endpoint whose address turned private (no request reaches it)', async () => {
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const created = await register('https://hooks.example.com/rebound');
    expect(created.status).toBe(201);
    // As if the name had been re-pointed at the loopback after registration (DNS rebinding).
    await sql(t, `UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [
      created.body.id,
      receiver.url,
    ]);
    const res = await submit(t, uniqueArticle(), makeComment(), { siteId: 'ssrf' });
    await waitForStatus(t, res.body.id, ['approved']);
    const failed = await waitFor(async () => {
      const page = await t.http
        .get(`/v1/admin/webhooks/${created.body.id}/deliveries?status=failed`)
        .set(auth());
      return page.body.items?.[0] ?? null;
    });
    expect(failed.lastError).toBe('refused: the address is not public');
    expect(JSON.stringify(failed)).not.toMatch(/127\.0\.0\.1|ECONN/);
    expect(receiver.received).toHaveLength(0);
  });

  it('checks the address a name resolves to, not only literals (localhost → 127.0.0.1)', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const blocked = await postWebhook(`http://localhost:${port}/x`, '{}', {}, 2000);
      expect(blocked).toMatchObject({
        statusCode: null,
        error: 'refused: the address is not public',
      });
      const refused = await postWebhook('http://127.0.0.1:9/x', '{}', {}, 2000, {
        allowPrivate: true,
      });
      // Generic: no address, no errno in what the delivery log would show.
      expect(refused.error).toBe('could not connect');
      expect(hits).toBe(0);
      const allowed = await postWebhook(`http://localhost:${port}/x`, '{}', {}, 2000, {
        allowPrivate: true,
      });
      expect(allowed).toMatchObject({ statusCode: 200, error: null });
      expect(hits).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
