import type { Redis } from 'ioredis';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { putSite, waitForStatus } from '../utils/api.js';
import { outboxSequences, sql, submitAsReader } from '../utils/events.js';
import {
  createTestApp,
  describeOnRedis,
  redisClient,
  waitFor,
  type TestApp,
} from '../utils/test-app.js';
import { formatSequence } from '../../src/events/sequence.js';

const ENV = {
  TRUST_PROXY: 'loopback',
  EVENTS_RELAY_POLL_MS: '100',
  PENDING_SWEEP_AFTER_S: '1',
  SWEEP_INTERVAL_MS: '200',
};
const GROUP = 'search-indexer';

type Entry = [id: string, fields: string[]];

// Redis only: the PostgreSQL transport has no Redis Stream channel (consumers read the events
// API and its SSE stream, which run on both: events.e2e, events-sse.e2e).
describeOnRedis('the Redis Stream of events', () => {
  let api: TestApp;
  let worker: TestApp | undefined;
  let redis: Redis;
  let key: string;
  const emails: string[] = [];

  /** XREADGROUP for one consumer: `>` new entries, `0` its own unacknowledged ones. */
  const read = async (consumer: string, id: '>' | '0', count = 100): Promise<Entry[]> => {
    const reply = (await redis.xreadgroup(
      'GROUP',
      GROUP,
      consumer,
      'COUNT',
      count,
      'STREAMS',
      key,
      id,
    )) as [string, Entry[]][] | null;
    return reply?.[0]?.[1] ?? [];
  };

  const ack = async (entries: Entry[]) => {
    if (entries.length) await redis.xack(key, GROUP, ...entries.map(([id]) => id));
  };

  const submitMany = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const comment = makeComment();
      emails.push(comment.email);
      const res = await submitAsReader(api, uniqueArticle(), comment, 'news');
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    return ids;
  };

  /** Everything in the outbox is relayed and in the stream. */
  const settled = () =>
    waitFor(
      async () => {
        const unrelayed = await sql(api, `SELECT 1 FROM outbox_events WHERE relayed_at IS NULL`);
        const all = await outboxSequences(api);
        return unrelayed.length === 0 && (await redis.xlen(key)) === all.length ? all : null;
      },
      { timeoutMs: 15_000, what: 'every event in the stream' },
    );

  beforeAll(async () => {
    api = await createTestApp({ role: 'api', env: ENV });
    await putSite(api, 'news', { name: 'News', settings: { moderation: { mode: 'post' } } });
    redis = redisClient();
    key = `${api.config.redis.prefix}:events`;
    // The consuming service's group, made before any event: it reads from the beginning.
    await redis.xgroup('CREATE', key, GROUP, '0', 'MKSTREAM');
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
    redis.disconnect();
  });

  it('gives a consumer group every event once, in order, across relay and consumer restarts', async () => {
    worker = await createTestApp({ role: 'worker', shareWith: api, env: ENV });
    for (const id of await submitMany(3)) await waitForStatus(api, id, ['approved']);
    await settled();

    // The consumer handles two entries, then takes two more and crashes before acknowledging.
    const handled = await read('indexer-1', '>', 2);
    await ack(handled);
    const inFlight = await read('indexer-1', '>', 2);
    expect(inFlight).toHaveLength(2);

    // The relay goes away (a deploy); comments keep coming and their events wait in PostgreSQL.
    await worker.close();
    worker = undefined;
    const later = await submitMany(2);
    // A relay that crashed after XADD but before marking its rows leaves them unrelayed.
    await sql(
      api,
      `UPDATE outbox_events SET relayed_at = NULL WHERE sequence IN (
         SELECT sequence FROM outbox_events WHERE relayed_at IS NOT NULL
         ORDER BY sequence DESC LIMIT 2)`,
    );

    worker = await createTestApp({ role: 'worker', shareWith: api, env: ENV });
    for (const id of later) await waitForStatus(api, id, ['approved']);
    const all = await settled();

    // The consumer restarts: first its own unacknowledged entries, then what is new.
    const redelivered = await read('indexer-1', '0');
    expect(redelivered.map(([id]) => id)).toEqual(inFlight.map(([id]) => id));
    await ack(redelivered);
    const rest: Entry[] = [];
    for (
      let batch = await read('indexer-1', '>', 3);
      batch.length;
      batch = await read('indexer-1', '>', 3)
    ) {
      rest.push(...batch);
      await ack(batch);
    }

    const consumed = [...handled, ...inFlight, ...rest];
    expect(consumed.map(([id]) => id)).toEqual(all.map((s) => `${s}-0`));
    for (const [id, fields] of consumed) {
      expect(fields[0]).toBe('event');
      const event = JSON.parse(fields[1]);
      expect(event).toMatchObject({
        specversion: '1.0',
        sequence: formatSequence(id.replace(/-0$/, '')),
      });
      for (const email of emails) expect(fields[1]).not.toContain(email);
    }
    const types = consumed.map(([, fields]) => JSON.parse(fields[1]).type);
    expect(types.filter((t) => t === 'comment.approved')).toHaveLength(5);
    expect(types.filter((t) => t === 'comment.submitted')).toHaveLength(5);
    const pending = (await redis.xpending(key, GROUP)) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });
});
