import { HTTP, type CloudEventV1 } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { EventsMaintenanceService } from '../../src/events/events-maintenance.service.js';
import { newWebhookSecret } from '../../src/events/webhooks/webhook-signature.js';
import { makeComment, uniqueArticle, type CommentInput } from '../factories/comment.factory.js';
import { auth, putSite, waitForStatus } from '../utils/api.js';
import {
  outboxSequences,
  sql,
  standardWebhooksValid,
  startWebhookReceiver,
  type WebhookReceiver,
  submitAsReader,
} from '../utils/events.js';
import { createTestApp, dumpTransport, waitFor, type TestApp } from '../utils/test-app.js';
import { formatSequence } from '../../src/events/sequence.js';

const FAST = {
  TRUST_PROXY: 'loopback',
  EVENTS_RELAY_POLL_MS: '100',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_TIMEOUT_MS: '2000',
};

interface CloudEvent {
  specversion: string;
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: string;
  sequence: string;
  data: { comment: Record<string, unknown>; previousStatus: string; reasons: unknown[] };
}

describe('comment events: webhooks and the pull API', () => {
  let t: TestApp;
  const receivers: WebhookReceiver[] = [];
  const emails: string[] = [];
  const tokens: Record<string, string> = {};

  /** A comment on a post-mode site, waited for until approved. */
  const publish = async (siteId: string, article = uniqueArticle()) => {
    const comment: CommentInput = makeComment();
    emails.push(comment.email);
    const res = await submitAsReader(t, article, comment, siteId);
    expect(res.status).toBe(202);
    await waitForStatus(t, res.body.id, ['approved']);
    return { id: res.body.id as string, comment, article };
  };

  const receiver = async (...args: Parameters<typeof startWebhookReceiver>) => {
    const r = await startWebhookReceiver(...args);
    receivers.push(r);
    return r;
  };

  const register = async (body: Record<string, unknown>) => {
    const res = await t.http.post('/v1/admin/webhooks').set(auth()).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string };
  };

  const deliveries = async (endpointId: string, query = '') => {
    const res = await t.http.get(`/v1/admin/webhooks/${endpointId}/deliveries${query}`).set(auth());
    expect(res.status).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies
    return res.body as { items: Record<string, any>[]; nextCursor: string | null };
  };

  beforeAll(async () => {
    t = await createTestApp({ env: FAST });
    for (const site of ['hooks', 'hooks-other', 'feed-a', 'feed-b']) {
      await putSite(t, site, { name: site, settings: { moderation: { mode: 'post' } } });
    }
    for (const [name, role, siteIds] of [
      ['service', 'service', undefined],
      ['serviceA', 'service', ['feed-a']],
      ['moderator', 'moderator', undefined],
    ] as const) {
      const res = await t.http.post('/v1/admin/tokens').set(auth()).send({ name, role, siteIds });
      tokens[name] = res.body.token;
    }
  });

  afterAll(async () => {
    await t.close();
    for (const r of receivers) await r.close();
  });

  it('POSTs each event signed per Standard Webhooks and retries after a 500', async () => {
    // First attempt of each message: 500; the retry: 200.
    const hooks = await receiver((hook, before) =>
      before.some((b) => b.headers['webhook-id'] === hook.headers['webhook-id']) ? 200 : 500,
    );
    const endpoint = await register({
      url: hooks.url,
      events: ['comment.approved'],
      siteId: 'hooks',
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    await publish('hooks-other'); // another site: not for this endpoint
    const { id, comment, article } = await publish('hooks');

    const received = await waitFor(
      () => Promise.resolve(hooks.received.length >= 2 ? hooks.received : null),
      {
        what: 'the webhook and its retry',
      },
    );
    expect(received.map((h) => h.status)).toEqual([500, 200]);
    for (const hook of received) {
      expect(standardWebhooksValid(endpoint.secret, hook)).toBe(true);
      expect(hook.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      expect(hook.body).not.toContain(comment.email);
    }
    expect(standardWebhooksValid(newWebhookSecret(), received[1])).toBe(false);
    // The official SDKs take the requests exactly as sent: CloudEvents structured mode and
    // the Standard Webhooks signature.
    for (const hook of received) {
      const headers = Object.fromEntries(
        Object.entries(hook.headers).map(([name, value]) => [name, String(value)]),
      );
      const parsed = HTTP.toEvent({ headers, body: hook.body }) as CloudEventV1<unknown>;
      expect(parsed).toMatchObject({
        specversion: '1.0',
        id: headers['webhook-id'],
        type: 'comment.approved',
        datacontenttype: 'application/json',
      });
      expect(parsed.sequence).toMatch(/^\d{20}$/);
      expect(() => new Webhook(endpoint.secret).verify(hook.body, headers)).not.toThrow();
      expect(() => new Webhook(newWebhookSecret()).verify(hook.body, headers)).toThrow();
    }
    expect(received[1].body).toBe(received[0].body);
    expect(received[1].headers['webhook-id']).toBe(received[0].headers['webhook-id']);

    const event = JSON.parse(received[1].body) as CloudEvent;
    expect(event).toEqual({
      specversion: '1.0',
      id: received[1].headers['webhook-id'],
      source: '/sites/hooks',
      type: 'comment.approved',
      subject: `comments/${id}`,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      datacontenttype: 'application/json',
      sequence: expect.stringMatching(/^\d{20}$/),
      data: {
        comment: expect.objectContaining({
          id,
          siteId: 'hooks',
          articleId: article,
          status: 'approved',
          bodyHtml: expect.any(String),
          author: expect.objectContaining({ name: comment.name }),
        }),
        previousStatus: 'pending',
        reasons: expect.any(Array),
        // What a CDN purger needs (docs/operations.md): the article's and the site's tags.
        surrogateKeys: [`thread:hooks/${article}`, 'site:hooks'],
      },
    });

    const log = await waitFor(async () => {
      const page = await deliveries(endpoint.id);
      return page.items[0]?.status === 'succeeded' ? page : null;
    });
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      eventId: event.id,
      sequence: event.sequence,
      type: 'comment.approved',
      status: 'succeeded',
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      completedAt: expect.any(String),
    });
    expect(log.items[0].attemptLog).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 500, error: 'HTTP 500' }),
      expect.objectContaining({ attempt: 2, statusCode: 200, error: null }),
    ]);
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS and records each attempt', async () => {
    const down = await receiver(() => 503);
    const endpoint = await register({
      url: down.url,
      events: ['comment.submitted'],
      siteId: 'hooks',
    });
    await publish('hooks');
    const failed = await waitFor(async () => {
      const page = await deliveries(endpoint.id, '?status=failed');
      return page.items.length ? page.items[0] : null;
    });
    expect(failed).toMatchObject({ type: 'comment.submitted', attempts: 3, lastStatusCode: 503 });
    expect(failed.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([
      503, 503, 503,
    ]);
    expect(down.received).toHaveLength(3);
    expect(new Set(down.received.map((h) => h.headers['webhook-id'])).size).toBe(1);

    const unreachable = await register({
      url: 'http://127.0.0.1:9/nothing-listens',
      events: ['comment.approved'],
      siteId: 'hooks-other',
    });
    await publish('hooks-other');
    const refused = await waitFor(async () => {
      const page = await deliveries(unreachable.id, '?status=failed');
      return page.items[0] ?? null;
    });
    expect(refused).toMatchObject({ attempts: 3, lastStatusCode: null });
    expect(refused.lastError).toBe('could not connect'); // generic: no address, no errno
  });

  it('delivers each endpoint its own event when insertion order and log positions differ', async () => {
    // Overlapping writers (group commit) make the internal insertion order run ahead of the
    // log positions the relay hands out; a delivery must follow the event, not the number.
    await sql(
      t,
      `SELECT setval(pg_get_serial_sequence('outbox_events', 'sequence'),
                     (SELECT coalesce(max(sequence), 0) + 5000 FROM outbox_events))`,
    );
    const hooks = await receiver();
    const endpoint = await register({
      url: hooks.url,
      events: ['comment.approved'],
      siteId: 'hooks-other',
    });
    const published = [await publish('hooks-other'), await publish('hooks-other')];
    const received = await waitFor(
      () => Promise.resolve(hooks.received.length >= 2 ? hooks.received : null),
      { what: 'both webhooks' },
    );
    const events = received.map((h) => JSON.parse(h.body) as CloudEvent);
    expect(events.map((e) => e.subject).sort()).toEqual(
      published.map((p) => `comments/${p.id}`).sort(),
    );
    const stored = await sql<{ event_id: string; position: string; sequence: string }>(
      t,
      `SELECT event_id, position::text, sequence::text FROM outbox_events
       WHERE type = 'comment.approved' AND subject = ANY($1)`,
      [published.map((p) => `comments/${p.id}`)],
    );
    expect(stored.every((r) => r.sequence !== r.position)).toBe(true);
    for (const event of events) {
      const row = stored.find((r) => r.event_id === event.id);
      expect(event.sequence).toBe(formatSequence(row!.position));
    }
    const log = await waitFor(async () => {
      const page = await deliveries(endpoint.id);
      return page.items.length === 2 && page.items.every((i) => i.status === 'succeeded')
        ? page
        : null;
    });
    for (const item of log.items) {
      const event = events.find((e) => e.id === item.eventId);
      expect(item.sequence).toBe(event!.sequence);
    }
  });

  it('lists, pages and deletes endpoints; validates and authorizes', async () => {
    const hooks = await receiver();
    const endpoint = await register({
      url: hooks.url,
      events: ['comment.approved', 'comment.held'],
    });
    for (let i = 0; i < 3; i++) await publish('hooks');
    await waitFor(async () => ((await deliveries(endpoint.id)).items.length >= 3 ? true : null));

    const first = await deliveries(endpoint.id, '?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await deliveries(endpoint.id, `?limit=2&cursor=${first.nextCursor}`);
    const sequences = [...first.items, ...second.items].map((d) => BigInt(d.sequence));
    expect(sequences.length).toBeGreaterThanOrEqual(3);
    expect([...sequences].sort((a, b) => (a > b ? -1 : 1))).toEqual(sequences);
    expect(new Set(sequences).size).toBe(sequences.length);
    const badCursor = await t.http
      .get(`/v1/admin/webhooks/${endpoint.id}/deliveries?cursor=${first.nextCursor}&status=failed`)
      .set(auth());
    expect(badCursor.status).toBe(400);

    const list = await t.http.get('/v1/admin/webhooks').set(auth());
    expect(list.status).toBe(200);
    const listed = list.body.items.find((e: { id: string }) => e.id === endpoint.id);
    expect(listed).toEqual({
      id: endpoint.id,
      url: hooks.url,
      events: ['comment.approved', 'comment.held'],
      siteId: null,
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(list.body)).not.toContain('whsec_');

    await t.http.delete(`/v1/admin/webhooks/${endpoint.id}`).set(auth()).expect(204);
    await t.http.delete(`/v1/admin/webhooks/${endpoint.id}`).set(auth()).expect(404);
    await t.http.get(`/v1/admin/webhooks/${endpoint.id}/deliveries`).set(auth()).expect(404);
    await t.http.delete('/v1/admin/webhooks/not-a-uuid').set(auth()).expect(404);
    const after = await t.http.get('/v1/admin/webhooks').set(auth());
    expect(after.body.items.map((e: { id: string }) => e.id)).not.toContain(endpoint.id);

    const post = (body: unknown, token?: string) => {
      const req = t.http.post('/v1/admin/webhooks');
      if (token !== undefined) void req.set(auth(token));
      return req.send(body as object);
    };
    const valid = { url: hooks.url, events: ['comment.approved'] };
    expect((await post({ ...valid, url: 'ftp://x.example/' }, undefined)).status).toBe(401);
    expect((await post(valid, tokens.moderator)).status).toBe(403);
    expect((await post(valid, tokens.service)).status).toBe(403);
    for (const bad of [
      { ...valid, url: 'ftp://x.example/' },
      { ...valid, url: 'not a url' },
      { ...valid, events: [] },
      { ...valid, events: ['comment.eaten'] },
      { ...valid, siteId: 'Bad Site' },
      { ...valid, secret: 'mine' },
    ]) {
      const res = await t.http.post('/v1/admin/webhooks').set(auth()).send(bad);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await post({ ...valid, siteId: 'no-such-site' }, undefined)).status).toBe(401);
    const unknownSite = await t.http
      .post('/v1/admin/webhooks')
      .set(auth())
      .send({ ...valid, siteId: 'no-such-site' });
    expect(unknownSite.status).toBe(404);
  });

  describe('GET /v1/events', () => {
    const get = (query: string, token?: string) => {
      const req = t.http.get(`/v1/events${query}`);
      return token === undefined ? req : req.set(auth(token));
    };

    beforeAll(async () => {
      await publish('feed-a');
      await publish('feed-b');
      await publish('feed-a');
    });

    it('answers 401 without a token, 403 to a moderator, 200 to a service or admin', async () => {
      expect((await get('')).status).toBe(401);
      expect((await get('', 'not-a-token')).status).toBe(401);
      expect((await get('', tokens.moderator)).status).toBe(403);
      expect((await get('', tokens.service)).status).toBe(200);
      expect((await get('')).status).toBe(401);
      const admin = await t.http.get('/v1/events').set(auth());
      expect(admin.status).toBe(200);
    });

    it('pages the whole log in sequence order with after/next', async () => {
      const all = await outboxSequences(t);
      const seen: string[] = [];
      let after = '0';
      for (let pages = 0; pages < 100; pages++) {
        const res = await get(`?after=${after}&limit=4`, tokens.service);
        expect(res.status).toBe(200);
        expect(res.body.events.length).toBeLessThanOrEqual(4);
        for (const event of res.body.events as CloudEvent[]) {
          expect(event.specversion).toBe('1.0');
          seen.push(event.sequence);
        }
        expect(BigInt(res.body.next)).toBeGreaterThanOrEqual(BigInt(after));
        if (!res.body.events.length) break;
        after = res.body.next;
      }
      expect(seen).toEqual(all.map(formatSequence));
      const end = await get(`?after=${after}`, tokens.service);
      expect(end.body).toEqual({ events: [], next: after });
    });

    it('filters by types and moves next past what it skipped', async () => {
      const res = await get('?types=comment.approved,comment.held&limit=1000', tokens.service);
      const events = res.body.events as CloudEvent[];
      expect(events.length).toBeGreaterThan(0);
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(['comment.approved']));
      const all = await outboxSequences(t);
      expect(res.body.next).toBe(formatSequence(all.at(-1)!));

      const submitted = await get('?types=comment.submitted&types=comment.spam', tokens.service);
      expect(submitted.status).toBe(200);
      expect(new Set(submitted.body.events.map((e: CloudEvent) => e.type))).toEqual(
        new Set(['comment.submitted']),
      );
      for (const bad of [
        '?types=comment.eaten',
        '?after=-1',
        '?after=abc',
        '?limit=0',
        '?limit=1001',
        '?x=1',
      ]) {
        const r = await get(bad, tokens.service);
        expect(r.status).toBe(400);
      }
    });

    it('shows a site-limited token only its sites', async () => {
      const res = await get('?limit=1000', tokens.serviceA);
      const sources = new Set(res.body.events.map((e: CloudEvent) => e.source));
      expect(sources).toEqual(new Set(['/sites/feed-a']));
    });
  });

  it('puts no email address into any event, webhook, job, counter or Redis key', async () => {
    expect(emails.length).toBeGreaterThan(5);
    const texts: string[] = [];
    const log = await t.http.get('/v1/events?limit=1000').set(auth());
    texts.push(JSON.stringify(log.body));
    for (const r of receivers) texts.push(...r.received.map((h) => h.body));
    const stored = await dumpTransport(t);
    expect(stored.length).toBeGreaterThan(0);
    texts.push(...stored);
    const all = texts.join('\n').toLowerCase();
    expect(all).toContain('comment.approved');
    for (const email of emails) expect(all).not.toContain(email.toLowerCase());
  });

  it('removes relayed events and finished deliveries past EVENTS_RETENTION_DAYS', async () => {
    await waitFor(async () => {
      const rows = await sql(t, `SELECT 1 FROM outbox_events WHERE relayed_at IS NULL`);
      return rows.length === 0;
    });
    const sequences = await outboxSequences(t);
    const old = sequences.slice(0, 4);
    await sql(
      t,
      `UPDATE outbox_events SET created_at = now() - interval '31 days' WHERE sequence = ANY($1::bigint[])`,
      [old],
    );
    await sql(
      t,
      `UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE status <> 'pending'`,
    );
    // An old event not relayed yet stays until it is.
    await sql(t, `UPDATE outbox_events SET relayed_at = NULL WHERE sequence = $1`, [old[3]]);
    const removed = await t.app.get(EventsMaintenanceService).applyRetention();
    expect(removed.events).toBe(3);
    expect(removed.deliveries).toBeGreaterThan(0);
    const left = await outboxSequences(t);
    expect(left).toEqual(sequences.filter((s) => !old.slice(0, 3).includes(s)));
    const page = await t.http.get('/v1/events?limit=1').set(auth());
    expect(page.body.events[0].sequence).toBe(formatSequence(old[3]));
  });
});
