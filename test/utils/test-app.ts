import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { createOpenApiDocument, fastifyOptions, setupApp } from '../../src/app.setup.js';
import { ContractChecker } from './openapi.js';
import { affectedRows } from '../../src/database/affected-rows.js';
import { withRequestIds } from '../../src/common/logging/request-id.js';
import { QUEUES } from '../../src/queue/queue.constants.js';
import { loadConfig, type AppConfig, type Transport } from '../../src/config/app.config.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const PG_SERVER = process.env.TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * The transport the test apps run on: `TRANSPORT=postgres npm test` runs the suite on
 * PostgreSQL alone; jest.config.js's `postgres` project sets it for the specs that apply.
 */
export const TRANSPORT: Transport =
  (process.env.TEST_TRANSPORT ?? process.env.TRANSPORT) === 'postgres' ? 'postgres' : 'redis';
/** `it`, or `it.skip` when the test app does not run on Redis (the test is about Redis). */
export const itOnRedis = TRANSPORT === 'redis' ? it : it.skip;
/** `describe`, or `describe.skip` when the test app does not run on Redis. */
export const describeOnRedis = TRANSPORT === 'redis' ? describe : describe.skip;
/** `it` on the PostgreSQL transport only (the Redis case has its own test). */
export const itOnPostgres = TRANSPORT === 'postgres' ? it : it.skip;

let counter = 0;

/** A database name and Redis prefix of their own, dropped by the global teardown. */
export function isolatedNames(): { database: string; prefix: string } {
  const runId = process.env.TEST_RUN_ID ?? `t${Date.now().toString(36)}`;
  const worker = process.env.JEST_WORKER_ID ?? '0';
  // Module state resets per test file while the worker process stays: add randomness.
  const n = `${worker}_${randomBytes(4).toString('hex')}_${counter++}`;
  return { database: `comments_${runId}_${n}`, prefix: `${runId}-${n}` };
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: ReturnType<typeof request>;
  /** Everything the service logged, one JSON line per entry. */
  logs: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  role?: 'all' | 'api' | 'worker';
  /** Share another test app's database and Redis prefix (e.g. api + worker). */
  shareWith?: TestApp;
  env?: Record<string, string>;
  /** Lift the default site's rate limits (default true); sites made with putSite get them too. */
  roomyLimits?: boolean;
}

export const ROOMY_LIMITS = { perIpPerMinute: 1_000_000, perEmailPerMinute: 1_000_000 };
/** Tests post many comments from one address: no velocity signal unless a test asks for it. */
export const ROOMY_SPAM = { maxPerHourPerIp: 1_000_000, maxPerHourPerEmail: 1_000_000 };

/** Boots the real application (PostgreSQL, Redis, workers) on a throwaway database. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const names = options.shareWith
    ? {
        database: new URL(options.shareWith.config.database.url).pathname.slice(1),
        prefix: options.shareWith.config.redis.prefix,
      }
    : isolatedNames();
  const config = loadConfig({
    NODE_ENV: 'test',
    ROLE: options.role ?? 'all',
    DATABASE_URL: `${PG_SERVER}/${names.database}`,
    TRANSPORT,
    REDIS_URL,
    REDIS_PREFIX: names.prefix,
    ADMIN_TOKEN,
    SECRET_KEY: Buffer.from('k'.repeat(32) + 'test secret key material').toString('base64'),
    LOG_LEVEL: 'info',
    PENDING_SWEEP_AFTER_S: '30',
    SWEEP_INTERVAL_MS: '1000',
    WORKER_CONCURRENCY: '4',
    // Test receivers listen on loopback; the SSRF tests turn this off again.
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // Tests try many wrong tokens from one address; the throttle's own test sets a low limit.
    AUTH_FAILURES_PER_MINUTE: '100000',
    // Browser tests open many streams from 127.0.0.1; the caps' own test sets low ones.
    SSE_MAX_STREAMS_PER_CLIENT: '10000',
    ...options.env,
  });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, { logStream })],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    withRequestIds(new FastifyAdapter(fastifyOptions(config))),
    { bufferLogs: true },
  );
  await setupApp(app, { swaggerUi: false });
  const contract = process.env.OPENAPI_CHECK === '1' ? checkEveryAnswer(app) : null;
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  if (!options.shareWith && options.roomyLimits !== false) {
    // Tests submit many comments from one address: lift the default site's limits.
    await app
      .get(DataSource)
      .query(`UPDATE sites SET settings = settings || $1::jsonb WHERE id = 'default'`, [
        JSON.stringify({ rateLimit: ROOMY_LIMITS, spam: ROOMY_SPAM }),
      ]);
  }
  return {
    app,
    config,
    http: request(app.getHttpServer()),
    logs,
    close: async () => {
      await app.close();
      if (contract?.length) {
        throw new Error(`Answers the OpenAPI document does not declare:\n${contract.join('\n')}`);
      }
    },
  };
}

/**
 * `OPENAPI_CHECK=1 npm test`: every answer of every test app is checked against the document
 * (test/utils/openapi.ts); the test file fails at `close()` listing what did not match.
 * Paths the document leaves out (widget, console, metrics, unknown routes) are skipped.
 */
function checkEveryAnswer(app: NestFastifyApplication): string[] {
  const checker = new ContractChecker(createOpenApiDocument(app));
  const problems: string[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (request, reply, payload, done) => {
      const url = request.url;
      const text =
        typeof payload === 'string'
          ? payload
          : Buffer.isBuffer(payload)
            ? payload.toString()
            : null;
      if (text !== null && !url.startsWith('/docs')) {
        try {
          checker.find(request.method, url);
        } catch {
          done(null, payload);
          return;
        }
        try {
          checker.check(request.method, url, {
            status: reply.statusCode,
            headers: reply.getHeaders() as Record<string, string>,
            text,
          });
        } catch (error) {
          problems.push((error as Error).message.split('\n')[0]);
        }
      }
      done(null, payload);
    });
  return problems;
}

/** Polls `probe` until it returns something truthy; fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function redisClient(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
}

/** One thing the deployment keeps in its transport (a Redis key, or a row of PostgreSQL's). */
export interface TransportEntry {
  /** The Redis key; on PostgreSQL `job:<queue>:<id>`, the counter's key, or `message:<id>`. */
  key: string;
  /** Its whole value as text. */
  value: string;
  /**
   * A copy of what is public anyway: the Redis Stream of events, the cached published threads,
   * the live-event messages of pub/sub. Jobs and counters are not.
   */
  publicCopy: boolean;
}

/**
 * What a test may look at or break in the deployment's transport, whichever it is: Redis keys
 * under the deployment's prefix, or (PostgreSQL transport) BullMQ's job rows in schema
 * `bullmq`, the `transport_counters` and the stored pub/sub `transport_messages`. Tests ask
 * this rather than spelling Redis or SQL.
 */
export interface TransportInspector {
  /** Everything stored, to search for leaked data. */
  entries(): Promise<TransportEntry[]>;
  /** Every job's data and options, as text. */
  jobPayloads(): Promise<string[]>;
  /** Every key (Redis) or counter's key (PostgreSQL). */
  keysOrCounters(): Promise<string[]>;
  /** Loses every queued job, as if the transport had lost its data; how many keys or jobs. */
  deleteAllJobs(): Promise<number>;
  /**
   * A job that will not finish: its id still waits, its data is gone (Redis: the job's hash
   * deleted; PostgreSQL: its row's data emptied). False when there was no such job.
   */
  loseJobData(queue: string, id: string): Promise<boolean>;
}

export function transportInspector(t: TestApp): TransportInspector {
  return t.config.transport === 'postgres' ? postgresInspector(t) : redisInspector(t);
}

function postgresInspector(t: TestApp): TransportInspector {
  const db = t.app.get(DataSource);
  const jobs = () =>
    db.query<Array<{ key: string; value: string }>>(
      `SELECT 'job:' || queue || ':' || id AS key, data::text || ' ' || opts::text AS value
       FROM bullmq.job ORDER BY queue, seq`,
    );
  const counters = () =>
    db.query<Array<{ key: string; value: string }>>(
      `SELECT key, value::text AS value FROM transport_counters ORDER BY key`,
    );
  return {
    async entries() {
      const messages = await db.query<Array<{ key: string; value: string }>>(
        `SELECT 'message:' || id AS key, payload AS value FROM transport_messages ORDER BY id`,
      );
      return [
        ...[...(await jobs()), ...(await counters())].map((e) => ({ ...e, publicCopy: false })),
        ...messages.map((e) => ({ ...e, publicCopy: true })),
      ];
    },
    async jobPayloads() {
      return (await jobs()).map((job) => job.value);
    },
    async keysOrCounters() {
      return (await counters()).map((counter) => counter.key);
    },
    async deleteAllJobs() {
      return affectedRows(await db.query(`DELETE FROM bullmq.job`));
    },
    async loseJobData(queue, id) {
      const result: unknown = await db.query(
        `UPDATE bullmq.job SET data = '{}'::jsonb WHERE queue = $1 AND id = $2`,
        [queue, id],
      );
      return affectedRows(result) === 1;
    },
  };
}

function redisInspector(t: TestApp): TransportInspector {
  const prefix = t.config.redis.prefix;
  const withRedis = async <T>(use: (redis: Redis) => Promise<T>): Promise<T> => {
    const redis = redisClient();
    try {
      return await use(redis);
    } finally {
      redis.disconnect();
    }
  };
  const queueNames = Object.values(QUEUES) as string[];
  const isJobKey = (key: string) => queueNames.some((q) => key.startsWith(`${prefix}:${q}:`));
  return {
    entries: () =>
      withRedis(async (redis) =>
        [...(await dumpRedis(redis, prefix))].map(([key, value]) => ({
          key,
          value,
          publicCopy: key === `${prefix}:events` || key.startsWith(`${prefix}:thread:`),
        })),
      ),
    jobPayloads: () =>
      withRedis(async (redis) =>
        [...(await dumpRedis(redis, prefix))]
          .filter(([key]) => isJobKey(key))
          .map(([, value]) => value),
      ),
    keysOrCounters: () => withRedis(async (redis) => [...(await dumpRedis(redis, prefix)).keys()]),
    deleteAllJobs: () => withRedis((redis) => flushPrefix(redis, prefix)),
    loseJobData: (queue, id) =>
      withRedis(async (redis) => (await redis.del(`${prefix}:${queue}:${id}`)) === 1),
  };
}

/**
 * Everything the deployment keeps in its transport, as text, to search for leaked data (see
 * `transportInspector`). On Redis it first waits for the event stream to exist.
 */
export async function dumpTransport(t: TestApp): Promise<string[]> {
  if (t.config.transport === 'redis') {
    await withRedisStream(t);
  }
  return (await transportInspector(t).entries()).map((e) => `${e.key} ${e.value}`);
}

async function withRedisStream(t: TestApp): Promise<void> {
  const redis = redisClient();
  try {
    await waitFor(async () => (await redis.xlen(`${t.config.redis.prefix}:events`)) > 0);
  } finally {
    redis.disconnect();
  }
}

/** Every key under a prefix with its whole value as text, to search for leaked data. */
export async function dumpRedis(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      // A key can expire between SCAN and TYPE (rate-limit windows): nothing left to read.
      if (type === 'none') continue;
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hgetall(key);
      else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else if (type === 'set') value = await redis.smembers(key);
      else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
      else if (type === 'stream') value = await redis.xrange(key, '-', '+');
      out.set(key, JSON.stringify(value));
    }
  } while (cursor !== '0');
  return out;
}

/** Loses every queued job, as if the transport had lost its data (see `transportInspector`). */
export function loseQueuedJobs(t: TestApp): Promise<number> {
  return transportInspector(t).deleteAllJobs();
}

/** Deletes every key of the deployment, as if Redis had lost its data. */
export async function flushPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
