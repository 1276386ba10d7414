import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/database/database.options.js';
import { prepareDatabase } from '../../src/database/prepare-database.js';
import { RedisKeys } from '../../src/redis/redis-keys.js';
import { PostgresCounters } from '../../src/transport/postgres-counters.js';
import { PostgresPubSub } from '../../src/transport/postgres-pub-sub.js';
import { isolatedNames, PG_SERVER, waitFor } from '../utils/test-app.js';

describe('the PostgreSQL transport', () => {
  const { database, prefix } = isolatedNames();
  const config = {
    database: { url: `${PG_SERVER}/${database}`, poolSize: 4 },
    transport: 'postgres' as const,
  };
  let db: DataSource;
  const keys = new RedisKeys(prefix);

  beforeAll(async () => {
    await prepareDatabase(config, { log: () => undefined });
    db = new DataSource(databaseOptions(config));
    await db.initialize();
  });
  afterAll(async () => {
    await db.destroy();
  });

  describe('counters', () => {
    it('count in fixed windows, every key of a call at once, repeated keys one after another', async () => {
      const counters = new PostgresCounters(db, keys);
      expect(
        await counters.hit([
          { key: ['a'], ttlMs: 60_000 },
          { key: ['b'], ttlMs: 60_000 },
          { key: ['a'], ttlMs: 60_000 },
        ]),
      ).toEqual([1, 1, 2]);
      expect(await counters.hit([{ key: ['a'], ttlMs: 60_000 }])).toEqual([3]);
      expect(await counters.read(['a'])).toBe(3);
      expect(await counters.read(['missing'])).toBe(0);
      const [rows] = await db.query<[{ key: string }]>(
        `SELECT key FROM transport_counters ORDER BY key`,
      );
      expect(rows.key).toBe(`${prefix}:a`);
    });

    it('start again once the window is over', async () => {
      const counters = new PostgresCounters(db, keys);
      expect(await counters.hit([{ key: ['short'], ttlMs: 50 }])).toEqual([1]);
      expect(await counters.hit([{ key: ['short'], ttlMs: 50 }])).toEqual([2]);
      await waitFor(async () => (await counters.read(['short'])) === 0, { what: 'expiry' });
      expect(await counters.hit([{ key: ['short'], ttlMs: 50 }])).toEqual([1]);
    });

    it('count every concurrent hit exactly once', async () => {
      const counters = new PostgresCounters(db, keys);
      const hits = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          counters.hit([
            { key: ['busy', String(i % 2)], ttlMs: 60_000 },
            { key: ['busy', 'all'], ttlMs: 60_000 },
          ]),
        ),
      );
      expect(hits.map(([, all]) => all).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      expect(await counters.read(['busy', '0'])).toBe(20);
    });

    it('grant a claim once until it expires', async () => {
      const counters = new PostgresCounters(db, keys);
      const claims = await Promise.all([1, 2, 3].map(() => counters.claim(['once'], 60_000)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await counters.claim(['brief'], 30)).toBe(true);
      await waitFor(async () => counters.claim(['brief'], 30), { what: 'the claim to expire' });
    });

    it('forget the counters of a scope that name a subject, and only those', async () => {
      const counters = new PostgresCounters(db, keys);
      const other = new PostgresCounters(db, new RedisKeys(`${prefix}-other`));
      const hit = (c: PostgresCounters, key: string[]) => c.hit([{ key, ttlMs: 60_000 }]);
      await hit(counters, ['rl', 'email', 'site', 'aa11', '7']);
      await hit(counters, ['rl', 'ip', 'site', 'bb22', '7']);
      await hit(counters, ['rl', 'email', 'site', 'aa110', '7']); // another subject
      await hit(counters, ['spam', 'email', 'site', 'aa11', '7']); // another scope
      await hit(other, ['rl', 'email', 'site', 'aa11', '7']); // another deployment
      expect(await counters.forget('rl', ['aa11', 'bb22'])).toBe(2);
      expect(await counters.read(['rl', 'email', 'site', 'aa11', '7'])).toBe(0);
      expect(await counters.read(['rl', 'ip', 'site', 'bb22', '7'])).toBe(0);
      expect(await counters.read(['rl', 'email', 'site', 'aa110', '7'])).toBe(1);
      expect(await counters.read(['spam', 'email', 'site', 'aa11', '7'])).toBe(1);
      expect(await other.read(['rl', 'email', 'site', 'aa11', '7'])).toBe(1);
      expect(await counters.forget('rl', [])).toBe(0);
    });
  });

  describe('pub/sub over LISTEN/NOTIFY', () => {
    const open: PostgresPubSub[] = [];
    const pubsub = () => {
      const made = new PostgresPubSub(db, {
        url: config.database.url,
        prefix,
        applicationName: 'transport-test',
      });
      open.push(made);
      return made;
    };
    afterAll(async () => {
      await Promise.all(open.map((p) => p.onApplicationShutdown()));
    });

    it('delivers to other processes in order, long messages too, and only on the channel', async () => {
      const [publisher, subscriber] = [pubsub(), pubsub()];
      const heard: string[] = [];
      const other: string[] = [];
      const subscription = await subscriber.subscribe('live', { message: (m) => heard.push(m) });
      await subscriber.subscribe('other', { message: (m) => other.push(m) });
      expect(subscription.live).toBe(true);
      const long = JSON.stringify({ body: 'x'.repeat(20_000) });
      await publisher.publish('live', ['one', long, 'three']);
      await publisher.publish('live', ['four']);
      await waitFor(() => Promise.resolve(heard.length >= 4), { what: 'four messages' });
      expect(heard).toEqual(['one', long, 'three', 'four']);
      expect(other).toEqual([]);
      await subscription.unsubscribe();
      await publisher.publish('live', ['after']);
      await publisher.publish('other', ['elsewhere']);
      await waitFor(() => Promise.resolve(other.length === 1), { what: 'the other channel' });
      expect(heard).toHaveLength(4);
    });

    it('tells a subscriber about the gap when its connection is lost, and listens again', async () => {
      const [publisher, subscriber] = [pubsub(), pubsub()];
      const heard: string[] = [];
      let gaps = 0;
      const subscription = await subscriber.subscribe('gap', {
        message: (m) => heard.push(m),
        gap: () => gaps++,
      });
      await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'transport-test' AND datname = current_database()
           AND query LIKE 'LISTEN%'`,
      );
      await waitFor(() => Promise.resolve(gaps >= 2 && subscription.live), {
        what: 'listening again',
      });
      await publisher.publish('gap', ['back']);
      await waitFor(() => Promise.resolve(heard.includes('back')), {
        what: 'a message after the gap',
      });
    });
  });
});
