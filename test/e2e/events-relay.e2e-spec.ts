import type { Redis } from 'ioredis';
import { LIVE_CHANNEL } from '../../src/events/live/live-events.hub.js';
import { PubSub, type Subscription } from '../../src/redis/pubsub.js';
import { OutboxRelayService } from '../../src/events/outbox/outbox-relay.service.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, waitForStatus } from '../utils/api.js';
import {
  outboxSequences,
  sql,
  startWebhookReceiver,
  type WebhookReceiver,
  submitAsReader,
} from '../utils/events.js';
import { createTestApp, redisClient, waitFor, type TestApp } from '../utils/test-app.js';
import { formatSequence } from '../../src/events/sequence.js';

const ENV = { TRUST_PROXY: 'loopback', EVENTS_RELAY_POLL_MS: '100', WEBHOOK_RETRY_BASE_MS: '100' };

describe('several relay processes', () => {
  let api: TestApp;
  const workers: TestApp[] = [];
  /** The Redis Stream (Redis transport only: PostgreSQL alone has none). */
  let redis: Redis | null = null;
  let liveSubscription: Subscription;
  let receiver: WebhookReceiver;
  let key: string;
  const live: string[] = [];

  const activeRelays = () => workers.filter((w) => w.app.get(OutboxRelayService).isActive);

  const publish = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const res = await submitAsReader(api, uniqueArticle(), makeComment(), 'news');
      expect(res.status).toBe(202);
      await waitForStatus(api, res.body.id, ['approved']);
    }
  };

  /** Every event relayed, in the stream (on Redis), and received by the webhook. */
  const settled = () =>
    waitFor(
      async () => {
        const unrelayed = await sql(api, `SELECT 1 FROM outbox_events WHERE relayed_at IS NULL`);
        const all = await outboxSequences(api);
        const inStream = redis ? await redis.xlen(key) : all.length;
        const hooked = new Set(receiver.received.map((h) => h.headers['webhook-id'])).size;
        return unrelayed.length === 0 && inStream === all.length && hooked === all.length
          ? all
          : null;
      },
      { timeoutMs: 20_000, what: 'every event relayed to every target' },
    );

  /** Each event exactly once per target, in sequence order where the target keeps order. */
  const expectRelayedOnce = async () => {
    const all = await settled();
    if (redis) {
      const stream = await redis.xrange(key, '-', '+');
      expect(stream.map(([id]) => id)).toEqual(all.map((s) => `${s}-0`));
    }

    const events = await sql<{ id: string; type: string; sequence: string }>(
      api,
      `SELECT event_id AS id, type, position::text AS sequence FROM outbox_events o
       ORDER BY o.position`,
    );
    const hookIds = receiver.received.map((h) => String(h.headers['webhook-id']));
    expect([...hookIds].sort()).toEqual(events.map((e) => e.id).sort());

    // Live fan-out (pub/sub, at least once): every approval, first seen in sequence order.
    const approved = events
      .filter((e) => e.type === 'comment.approved')
      .map((e) => formatSequence(e.sequence));
    await waitFor(() => Promise.resolve(new Set(live).size === approved.length));
    expect([...new Set(live)]).toEqual(approved);
  };

  beforeAll(async () => {
    api = await createTestApp({ role: 'api', env: ENV });
    await putSite(api, 'news', { name: 'News', settings: { moderation: { mode: 'post' } } });
    receiver = await startWebhookReceiver();
    const hook = await api.http
      .post('/v1/admin/webhooks')
      .set(auth())
      .send({
        url: receiver.url,
        events: [
          'comment.submitted',
          'comment.approved',
          'comment.held',
          'comment.rejected',
          'comment.spam',
          'comment.deleted',
        ],
      });
    expect(hook.status).toBe(201);
    if (api.config.transport === 'redis') redis = redisClient();
    key = `${api.config.redis.prefix}:events`;
    // The live fan-out as an api process hears it, on the transport's pub/sub.
    liveSubscription = await api.app.get(PubSub).subscribe(LIVE_CHANNEL, {
      message: (message) => {
        const event = JSON.parse(message) as { type: string; sequence: string };
        if (event.type === 'comment.approved') live.push(event.sequence);
      },
    });
    workers.push(await createTestApp({ role: 'worker', shareWith: api, env: ENV }));
    workers.push(await createTestApp({ role: 'worker', shareWith: api, env: ENV }));
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await api.close();
    await liveSubscription.unsubscribe();
    redis?.disconnect();
    await receiver.close();
  });

  it('relay each event once per target, in sequence order, with one active relay', async () => {
    await publish(4);
    await expectRelayedOnce();
    expect(activeRelays()).toHaveLength(1);
  });

  it('hand over when the active relay loses its session, and when it shuts down', async () => {
    // The active relay's PostgreSQL session dies (a crash, a network cut): its lease goes with it.
    const terminated = await sql<{ ok: boolean }>(
      api,
      `SELECT pg_terminate_backend(l.pid) AS ok
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.objid = 7331002 AND l.granted
         AND a.datname = current_database()`,
    );
    expect(terminated).toEqual([{ ok: true }]);
    await publish(3);
    await expectRelayedOnce();
    await waitFor(() => Promise.resolve(activeRelays().length === 1));

    // The active relay shuts down (a deploy): the standby takes over.
    const [active] = activeRelays();
    await active.close();
    workers.splice(workers.indexOf(active), 1);
    await publish(2);
    await expectRelayedOnce();
    expect(activeRelays()).toEqual(workers);
  });
});
