import { uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite } from '../utils/api.js';
import { listen, openSse, type SseClient } from '../utils/events.js';
import { TokensService } from '../../src/auth/tokens.service.js';
import {
  ADMIN_TOKEN,
  createTestApp,
  transportInspector,
  waitFor,
  type TestApp,
} from '../utils/test-app.js';

/** Opens a moderation stream with a bearer token (as the console does); resolves when it ends. */
async function moderationStream(url: string, token: string) {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  let text = '';
  let ended = false;
  const done = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
    }
  })()
    .catch(() => undefined)
    .finally(() => {
      ended = true;
    });
  return {
    status: res.status,
    done,
    isEnded: () => ended,
    text: () => text,
    close: () => controller.abort(),
  };
}

/**
 * Issue 13, items 4 and 9: moderation streams die with their token (and have a maximum age);
 * public streams are capped per client (IPv4, or IPv6 /64) and in total.
 */
describe('live streams are bounded; tokens are not for guessing', () => {
  let t: TestApp;
  let base: string;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        TRUST_PROXY: 'loopback',
        MODERATION_SSE_RECHECK_MS: '200',
        MODERATION_SSE_MAX_AGE_S: '3',
        SSE_MAX_STREAMS_PER_CLIENT: '2',
        SSE_MAX_STREAMS: '4',
        METRICS_TOKEN: 'metrics-token-0123456789',
        AUTH_FAILURES_PER_MINUTE: '5',
      },
    });
    await putSite(t, 'streams', { name: 'Streams' });
    base = await listen(t);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await t.close();
  });

  it('ends a moderation stream within seconds of its token being revoked', async () => {
    const minted = await t.http
      .post('/v1/admin/tokens')
      .set(auth())
      .send({ name: 'desk', role: 'moderator', siteIds: ['streams'] });
    expect(minted.status).toBe(201);
    // Count the stream's re-checks that found the token valid (every 200 ms here).
    const tokens = t.app.get(TokensService);
    const stillValid = tokens.stillValid.bind(tokens);
    let validChecks = 0;
    tokens.stillValid = async (principal) => {
      const valid = await stillValid(principal);
      if (valid && principal.tokenId === minted.body.id) validChecks++;
      return valid;
    };
    const stream = await moderationStream(`${base}/v1/moderation/stream`, minted.body.token);
    expect(stream.status).toBe(200);
    try {
      await waitFor(() => Promise.resolve(validChecks >= 2), {
        what: 'two re-checks of the valid token',
      });
    } finally {
      tokens.stillValid = stillValid;
    }
    expect(stream.isEnded()).toBe(false); // re-checked while valid: still open
    const revokedAt = Date.now();
    expect((await t.http.delete(`/v1/admin/tokens/${minted.body.id}`).set(auth())).status).toBe(
      204,
    );
    await waitFor(() => Promise.resolve(stream.isEnded()), {
      timeoutMs: 2500,
      what: 'the stream of a revoked token to end',
    });
    expect(Date.now() - revokedAt).toBeLessThan(2500);
    expect(stream.text()).toContain(': revoked');
    const again = await moderationStream(`${base}/v1/moderation/stream`, minted.body.token);
    expect(again.status).toBe(401);
    again.close();
  });

  it('ends a moderation stream when its token expires, and refuses the expired token', async () => {
    const minted = await t.http
      .post('/v1/admin/tokens')
      .set(auth())
      .send({
        name: 'short-lived',
        role: 'moderator',
        expiresAt: new Date(Date.now() + 1500).toISOString(),
      });
    expect(minted.status).toBe(201);
    const listed = await t.http.get('/v1/admin/tokens').set(auth());
    expect(listed.body.items.find((i: { id: string }) => i.id === minted.body.id)).toMatchObject({
      expiresAt: expect.any(String),
    });
    const stream = await moderationStream(`${base}/v1/moderation/stream`, minted.body.token);
    expect(stream.status).toBe(200);
    await waitFor(() => Promise.resolve(stream.isEnded()), {
      timeoutMs: 4000,
      what: 'the stream of an expired token to end',
    });
    expect(stream.text()).toContain(': revoked');
    const after = await t.http.get('/v1/moderation/counts').set(auth(minted.body.token));
    expect(after.status).toBe(401);
    const past = await t.http
      .post('/v1/admin/tokens')
      .set(auth())
      .send({ name: 'past', role: 'moderator', expiresAt: '2020-01-01T00:00:00.000Z' });
    expect(past.status).toBe(400);
  });

  it('ends every moderation stream at its maximum age, so that the client signs in again', async () => {
    const stream = await moderationStream(`${base}/v1/moderation/stream`, ADMIN_TOKEN);
    expect(stream.status).toBe(200);
    const opened = Date.now();
    await waitFor(() => Promise.resolve(stream.isEnded()), {
      timeoutMs: 6000,
      what: 'the stream to reach its maximum age',
    });
    expect(Date.now() - opened).toBeGreaterThanOrEqual(2500);
    expect(stream.text()).toContain(': expired');
  });

  it('caps public streams per client (an IPv6 /64 is one client) and in total', async () => {
    const path = `${base}/v1/sites/streams/articles/${uniqueArticle()}/comments/stream`;
    const open = async (ip: string) => {
      const client = await openSse(path, { 'X-Forwarded-For': ip });
      clients.push(client);
      return client;
    };
    expect((await open('2001:db8:1:2::1')).status).toBe(200);
    expect((await open('2001:db8:1:2::2')).status).toBe(200);
    const third = await open('2001:db8:1:2:ffff::3'); // the same /64
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toMatch(/^\d+$/);

    const other = await open('203.0.113.9');
    expect(other.status).toBe(200);
    expect((await open('203.0.113.10')).status).toBe(200);
    // Four open in all: a fifth client is refused although it has none.
    const fifth = await open('198.51.100.1');
    expect(fifth.status).toBe(429);

    other.close();
    await waitFor(
      async () => {
        const retry = await open('198.51.100.1');
        return retry.status === 200;
      },
      { what: 'a freed slot' },
    );
  });

  it('throttles failed bearer logins per client (item 9), then refuses even a right token', async () => {
    const from = (ip: string, token: string) =>
      t.http.get('/v1/moderation/counts').set('X-Forwarded-For', ip).set(auth(token));
    for (let i = 0; i < 5; i++) {
      expect((await from('2001:db8:66:1::1', `wrong-token-${i}`)).status).toBe(401);
    }
    // The same /64, another address: throttled too, whatever the token.
    const blocked = await from('2001:db8:66:1::2', 'another-wrong-token');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from('2001:db8:66:1::3', ADMIN_TOKEN)).status).toBe(429);
    // Another client is not affected.
    expect((await from('203.0.113.200', ADMIN_TOKEN)).status).toBe(200);
    // No address in the transport: the counter is keyed by the client's blind index.
    const counters = (await transportInspector(t).keysOrCounters()).join('\n');
    expect(counters).toContain('auth-failures');
    expect(counters).not.toContain('2001:db8');
  });

  it('serves /metrics only with METRICS_TOKEN when it is set (item 9)', async () => {
    expect((await t.http.get('/metrics')).status).toBe(401);
    expect((await t.http.get('/metrics').set(auth('wrong-metrics-token-000'))).status).toBe(401);
    expect((await t.http.get('/metrics').set(auth(ADMIN_TOKEN))).status).toBe(401);
    const ok = await t.http.get('/metrics').set(auth('metrics-token-0123456789'));
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/^# HELP /m);
  });
});
