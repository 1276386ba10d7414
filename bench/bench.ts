// `npm run bench`: starts the built service itself (ROLE=all, then api + worker processes) on
// its own database and a Redis of its own, and measures on loopback with autocannon while
// sampling the service's RSS and CPU. Prints a Markdown table; writes JSON to bench/results/.
// Not part of `npm test`. BENCH_DURATION (seconds per run, default 10) shortens it.
// `--transport redis|postgres|both` (default both): the topologies run on Redis, and the
// `all` topology's intake, pipeline and CPU per comment once more on PostgreSQL alone.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { LIVE_CHANNEL } from '../src/events/live/live-events.hub.js';
import { PostgresPubSub } from '../src/transport/postgres-pub-sub.js';
import {
  ADMIN_TOKEN,
  Cluster,
  freePort,
  PrivateRedis,
  ROOT,
  until,
} from '../test/chaos/cluster.js';
import { importScenario, IMPORT_COMMENTS } from './import.js';
import { Sampler } from './sampler.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const PIPELINE_RATE = 200;
const PIPELINE_SECONDS = Number(process.env.BENCH_PIPELINE_SECONDS ?? 20);
const BURST = Number(process.env.BENCH_BURST ?? 5000);
/** Generated hostile requests (issue 8's property suite, `npm run fuzz`); 0 skips the step. */
const FUZZ_RUNS = Number(process.env.BENCH_FUZZ_RUNS ?? 100_000);
/** `import` runs only the import scenario (bench/import.ts); `transport` only the transports. */
const ONLY = process.env.BENCH_ONLY;
type Transport = 'redis' | 'postgres';
/** `--transport redis|postgres|both`: which transports the topologies run on. */
const TRANSPORTS: Transport[] = (() => {
  const i = process.argv.indexOf('--transport');
  const value = i >= 0 ? process.argv[i + 1] : 'both';
  if (value === 'both') return ['redis', 'postgres'];
  if (value === 'redis' || value === 'postgres') return [value];
  throw new Error(`--transport must be redis, postgres or both (got "${value}")`);
})();
const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

interface Row {
  group: string;
  name: string;
  value: string;
  detail?: string;
}
const rows: Row[] = [];
const json: Record<string, unknown> = {};
const record = (group: string, name: string, value: string, detail?: string) => {
  rows.push({ group, name, value, detail });
  process.stdout.write(`  ${group} · ${name}: ${value}${detail ? ` (${detail})` : ''}\n`);
};

function commentBody(n: string, parentId?: string): string {
  return JSON.stringify({
    name: `Reader ${n}`,
    email: `reader-${n}@example.org`,
    body: `Bench comment ${n}: the council's figures in the third paragraph look right to me.`,
    ...(parentId ? { parentId } : {}),
  });
}

const ip = () => `10.${1 + (randomBytes(1)[0] % 250)}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

async function putSite(url: string, id: string, mode: string) {
  const res = await fetch(`${url}/v1/admin/sites/${id}`, {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify({
      name: id,
      settings: {
        moderation: { mode, maxDepth: 10 },
        rateLimit: { perIpPerMinute: 1_000_000, perEmailPerMinute: 1_000_000 },
        spam: { maxPerHourPerIp: 1_000_000, maxPerHourPerEmail: 1_000_000 },
      },
    }),
  });
  if (!res.ok) throw new Error(`PUT site answered ${res.status}`);
}

async function intake(url: string, siteId: string, connections: number) {
  const result = await autocannon({
    url,
    connections,
    duration: DURATION,
    requests: [
      {
        method: 'POST',
        path: `/v1/sites/${siteId}/articles/intake-${connections}/comments`,
        setupRequest: (req) => ({
          ...req,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip() },
          body: commentBody(randomBytes(6).toString('hex')),
        }),
      },
    ],
  });
  return {
    acceptedPerSecond: Math.round(result['2xx'] / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * A reader's live stream (SSE, what the widget opens): calls `seen(id)` for each comment it
 * shows. Resolves once the stream is open.
 */
async function liveReader(url: string, seen: (id: string) => void) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`the live stream answered ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffered = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffered += value;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const frame = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (data && /^event: comment\.approved$/m.test(frame)) {
            seen((JSON.parse(data) as { id: string }).id);
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return { close: () => controller.abort() };
}

function quantiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { p50: q(0.5), p99: q(0.99), max: sorted.at(-1) ?? NaN };
}

/**
 * Listens on the deployment's live channel (what the SSE streams hear) on its transport: a
 * Redis channel, or a PostgreSQL LISTEN channel through the service's own PostgresPubSub
 * (which also reads the messages too long for a NOTIFY).
 */
async function subscribeLive(cluster: Cluster, onMessage: (message: string) => void) {
  const channel = LIVE_CHANNEL;
  if (cluster.transport === 'redis') {
    const sub = new Redis(cluster.redis.url);
    sub.on('message', (_c, message: string) => onMessage(message));
    await sub.subscribe(`${cluster.prefix}:${channel}`);
    return { close: () => Promise.resolve(sub.disconnect()) };
  }
  const pool = new pg.Pool({ connectionString: cluster.databaseUrl, max: 2 });
  const db = {
    query: async (sql: string, params?: unknown[]) =>
      (await pool.query(sql, params)).rows as unknown[],
  } as unknown as DataSource;
  const pubsub = new PostgresPubSub(db, {
    url: cluster.databaseUrl,
    prefix: cluster.prefix,
    applicationName: 'bench-live',
  });
  await pubsub.subscribe(channel, { message: onMessage });
  return {
    close: async () => {
      await pubsub.onApplicationShutdown();
      await pool.end();
    },
  };
}

/**
 * Submit → published latency at a fixed arrival rate, seen by a live consumer of the pub/sub
 * channel the SSE streams use, and submit → seen by a reader on the article's live stream.
 */
async function pipeline(url: string, cluster: Cluster, siteId: string) {
  const submitted = new Map<string, number>();
  const latencies: number[] = [];
  const seenLatencies: number[] = [];
  const early = new Map<string, number>(); // seen before its 202 was read
  const sub = await subscribeLive(cluster, (message) => {
    const event = JSON.parse(message) as { type: string; data: { comment: { id: string } } };
    if (event.type !== 'comment.approved') return;
    const at = submitted.get(event.data.comment.id);
    if (at !== undefined) latencies.push(Date.now() - at);
  });
  const stream = await liveReader(
    `${url}/v1/sites/${siteId}/articles/pipeline/comments/stream`,
    (id) => {
      const at = submitted.get(id);
      if (at === undefined) early.set(id, Date.now());
      else seenLatencies.push(Date.now() - at);
    },
  );
  await autocannon({
    url,
    connections: 20,
    overallRate: PIPELINE_RATE,
    amount: PIPELINE_RATE * PIPELINE_SECONDS,
    requests: [
      {
        method: 'POST',
        path: `/v1/sites/${siteId}/articles/pipeline/comments`,
        setupRequest: (req, context: object) => {
          (context as { sentAt?: number }).sentAt = Date.now();
          return {
            ...req,
            headers: { 'content-type': 'application/json', 'x-forwarded-for': ip() },
            body: commentBody(randomBytes(6).toString('hex')),
          };
        },
        onResponse: (status, body, context: object) => {
          if (status !== 202) return;
          const { id } = JSON.parse(body) as { id: string };
          const sentAt = (context as { sentAt: number }).sentAt;
          submitted.set(id, sentAt);
          const seenAt = early.get(id);
          if (seenAt !== undefined) seenLatencies.push(seenAt - sentAt);
        },
      },
    ],
  });
  await until(
    () =>
      Promise.resolve(latencies.length >= submitted.size && seenLatencies.length >= submitted.size),
    30_000,
    100,
  );
  await sub.close();
  stream.close();
  return {
    published: latencies.length,
    submitted: submitted.size,
    ...quantiles(latencies),
    seen: { count: seenLatencies.length, ...quantiles(seenLatencies) },
  };
}

/** Waits until the workers have taken every comment out of `pending`. */
async function drained(cluster: Cluster) {
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  try {
    const done = await until(async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM comments WHERE status = 'pending'`,
      );
      return rows[0].n === 0;
    }, 300_000);
    if (!done) throw new Error('the workers did not drain the backlog within 5 minutes');
  } finally {
    await db.end();
  }
}

/**
 * The PostgreSQL server processes working for this benchmark: the backends of its database and
 * the shared WAL writer, checkpointer and background writer (the PostgreSQL server is shared
 * with other work on a development machine; other databases' backends are not counted).
 */
class PostgresProcesses {
  private pids: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly db: pg.Client;

  constructor(databaseUrl: string) {
    this.db = new pg.Client({ connectionString: databaseUrl });
  }

  async start(): Promise<void> {
    await this.db.connect();
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), 500);
  }

  private async refresh(): Promise<void> {
    const { rows } = await this.db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE (datname = current_database() AND pid <> pg_backend_pid())
          OR backend_type IN ('walwriter', 'checkpointer', 'background writer')`,
    );
    this.pids = rows.map((r) => r.pid);
  }

  current = (): number[] => this.pids;

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.db.end();
  }
}

/** Transactions and rows written in this benchmark's database (pg_stat_database). */
async function postgresCounters(db: pg.Client) {
  const { rows } = await db.query<{ xacts: string; writes: string }>(
    `SELECT xact_commit + xact_rollback AS xacts, tup_inserted + tup_updated + tup_deleted AS writes
     FROM pg_stat_database WHERE datname = current_database()`,
  );
  return { xacts: Number(rows[0].xacts), writes: Number(rows[0].writes) };
}

/** Commands executed by Redis so far, per command (INFO commandstats; scripts' calls included). */
async function redisCommands(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    calls.set(match[1], Number(match[2]));
  }
  return calls;
}

async function burst(url: string, cluster: Cluster, siteId: string) {
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  const redis = new Redis(cluster.redis.url);
  const pgProcesses = new PostgresProcesses(cluster.databaseUrl);
  await pgProcesses.start();
  // Where the CPU goes per comment: the service's processes, PostgreSQL and Redis.
  const service = new Sampler(() =>
    cluster.processes.map((p) => p.child?.pid ?? 0).filter(Boolean),
  );
  const postgres = new Sampler(pgProcesses.current);
  const redisCpu = new Sampler(() => [cluster.redis.pid ?? 0].filter(Boolean));
  const pgBefore = await postgresCounters(db);
  const redisBefore = await redisCommands(redis);
  for (const s of [service, postgres, redisCpu]) s.start();
  const started = Date.now();
  let ownStatements = 0; // the benchmark's own queries below, not the service's
  try {
    await autocannon({
      url,
      connections: 50,
      amount: BURST,
      requests: [
        {
          method: 'POST',
          path: `/v1/sites/${siteId}/articles/burst/comments`,
          setupRequest: (req) => ({
            ...req,
            headers: { 'content-type': 'application/json', 'x-forwarded-for': ip() },
            body: commentBody(randomBytes(6).toString('hex')),
          }),
        },
      ],
    });
    await until(
      async () => {
        ownStatements++;
        const { rows: r } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM comments WHERE site_id = $1 AND article_id = 'burst' AND status <> 'pending'`,
          [siteId],
        );
        return r[0].n >= BURST;
      },
      120_000,
      100,
    );
    ownStatements++;
    const { rows: r } = await db.query<{ n: number; seconds: number }>(
      `SELECT count(*)::int AS n, extract(epoch FROM max(updated_at) - $2::timestamptz)::float AS seconds
       FROM comments WHERE site_id = $1 AND article_id = 'burst' AND status <> 'pending'`,
      [siteId, new Date(started)],
    );
    const n = r[0].n;
    const cpu = { service: service.stop(), postgres: postgres.stop(), redis: redisCpu.stop() };
    // A PostgreSQL backend publishes its counters when it goes idle, at least a second after
    // its last report, and an idle one with counters pending within 10 s: let them all land.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const pgAfter = await postgresCounters(db);
    const redisAfter = await redisCommands(redis);
    const perComment = (value: number) => Math.round((value * 100) / n) / 100;
    const commands = [...redisAfter]
      .map(([name, calls]) => [name, calls - (redisBefore.get(name) ?? 0)] as const)
      .filter(([name, calls]) => calls > 0 && name !== 'info')
      .sort((a, b) => b[1] - a[1]);
    return {
      comments: n,
      perSecond: Math.round(n / r[0].seconds),
      cpuMsPerComment: {
        service: perComment(cpu.service.cpuSeconds * 1000),
        postgres: perComment(cpu.postgres.cpuSeconds * 1000),
        redis: perComment(cpu.redis.cpuSeconds * 1000),
      },
      perComment: {
        socketWrites: perComment(cpu.service.writes),
        postgresTransactions: perComment(pgAfter.xacts - pgBefore.xacts - ownStatements),
        postgresRowWrites: perComment(pgAfter.writes - pgBefore.writes),
        redisCommands: perComment(commands.reduce((sum, [, calls]) => sum + calls, 0)),
        redisTop: commands.slice(0, 6).map(([name, calls]) => `${name} ${perComment(calls)}`),
      },
    };
  } finally {
    await pgProcesses.stop();
    redis.disconnect();
    await db.end();
  }
}

async function read(url: string, path: string, headers: Record<string, string> = {}) {
  const result = await autocannon({
    url: `${url}${path}`,
    connections: 50,
    duration: DURATION,
    headers,
  });
  return {
    perSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
    status: headers['if-none-match'] ? '304' : '200',
  };
}

/** The thread of `count` approved comments, inserted directly (no need to wait for workers). */
async function seedThread(cluster: Cluster, siteId: string, articleId: string, count: number) {
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO articles (site_id, article_id, first_comment_at, approved_count, thread_version)
       VALUES ($1, $2, now(), $3, 1)`,
      [siteId, articleId, count],
    );
    // Every fifth comment answers the one before it: a thread with depth.
    await db.query(
      `INSERT INTO comments (site_id, article_id, parent_id, depth, path, root_key, author_name,
         author_avatar, body, body_html, status, spam_score, created_at, published_at)
       SELECT $1, $2, NULL, 0, lpad(i::text, 15, '0'), lpad(i::text, 15, '0'), 'Reader ' || i,
         substr(md5(i::text), 1, 8), 'Comment ' || i, '<p>Comment ' || i || ' on the story.</p>',
         'approved', 0.01, now(), now()
       FROM generate_series(1, $3) AS i`,
      [siteId, articleId, count],
    );
  } finally {
    await db.end();
  }
}

/** The raw single-row INSERT rate of the same row through `pg` at the same concurrency. */
async function rawInsert(cluster: Cluster, concurrency: number) {
  const pool = new pg.Pool({ connectionString: cluster.databaseUrl, max: concurrency });
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_raw (LIKE comments INCLUDING DEFAULTS)`);
  let done = 0;
  const deadline = Date.now() + DURATION * 1000;
  const row = () => [
    'bench',
    'raw',
    0,
    randomBytes(8).toString('hex').padStart(15, '0').slice(0, 15),
    'Reader',
    'abcd1234',
    randomBytes(60),
    'k1',
    randomBytes(32),
    randomBytes(32),
    `Bench comment ${randomBytes(6).toString('hex')}`,
    '<p>Bench</p>',
  ];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        await pool.query(
          `INSERT INTO bench_raw (site_id, article_id, depth, path, root_key, author_name, author_avatar,
             email_ciphertext, email_key_id, email_index, ip_index, body, body_html)
           VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          row(),
        );
        done++;
      }
    }),
  );
  await pool.end();
  return Math.round(done / DURATION);
}

async function bareFastify(body: string) {
  const file = join(ROOT, 'bench', 'results', '.bare-body.json');
  writeFileSync(file, body);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bench', 'bare-server.mjs'), file, String(port)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise((resolve) => child.stdout.once('data', resolve));
  try {
    return await read(`http://127.0.0.1:${port}`, '/thread');
  } finally {
    child.kill('SIGKILL');
  }
}

/** The hostile-input property suite at full size, as its own process (`npm run fuzz`). */
async function fuzz(runs: number) {
  const started = Date.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'fuzz'], {
      cwd: ROOT,
      env: { ...process.env, FUZZ_RUNS: String(runs) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (exitCode) => resolve(exitCode ?? 1));
  });
  return { runs, passed: code === 0, seconds: Math.round((Date.now() - started) / 1000) };
}

async function topology(
  name: string,
  redis: PrivateRedis,
  split: boolean,
  transport: Transport = TRANSPORTS[0],
) {
  const cluster = new Cluster(redis, {
    TRANSPORT: transport,
    TRUST_PROXY: 'loopback',
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: '16',
  });
  const sampler = new Sampler(() =>
    cluster.processes.map((p) => p.child?.pid ?? 0).filter(Boolean),
  );
  try {
    if (split) {
      await cluster.add('api', 0);
      await cluster.add('worker', 0);
    } else {
      await cluster.add('all' as 'api', 0);
    }
    const url = cluster.apis()[0]?.url ?? cluster.processes[0].url;
    await putSite(url, 'bench', 'post');
    sampler.start();
    const result: Record<string, unknown> = {};
    for (const connections of [10, 50, 200]) {
      // The api processes alone (with api + worker): what accepting a comment costs them.
      const api = new Sampler(() =>
        split
          ? cluster
              .apis()
              .map((p) => p.child?.pid ?? 0)
              .filter(Boolean)
          : [],
      );
      api.start();
      const r = await intake(url, 'bench', connections);
      const apiUsage = api.stop();
      const accepted = r.acceptedPerSecond * DURATION;
      result[`intake${connections}`] = { ...r, api: apiUsage };
      record(
        name,
        `intake, ${connections} connections`,
        `${r.acceptedPerSecond}/s`,
        `p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}` +
          (split && accepted > 0
            ? `; api ${Math.round((apiUsage.cpuSeconds * 1e5) / accepted) / 100} ms CPU and ` +
              `${Math.round((apiUsage.writes * 100) / accepted) / 100} socket writes per comment`
            : ''),
      );
    }
    // The intake runs leave thousands of comments for the workers: measure latency without them.
    await drained(cluster);
    const p = await pipeline(url, cluster, 'bench');
    result.pipeline = p;
    record(
      name,
      `submit → published at ${PIPELINE_RATE}/s`,
      `p50 ${p.p50} ms`,
      `p99 ${p.p99} ms, max ${p.max} ms, ${p.published}/${p.submitted} seen`,
    );
    record(
      name,
      `submit → seen on a reader's live stream (SSE) at ${PIPELINE_RATE}/s`,
      `p50 ${p.seen.p50} ms`,
      `p99 ${p.seen.p99} ms, max ${p.seen.max} ms, ${p.seen.count}/${p.submitted} seen`,
    );
    await drained(cluster);
    const b = await burst(url, cluster, 'bench');
    result.burst = b;
    record(
      name,
      `pipeline sustained (${BURST} at once)`,
      `${b.perSecond}/s`,
      `${b.comments} comments`,
    );
    const cpu = b.cpuMsPerComment;
    record(
      name,
      'CPU per comment, submit → published',
      `${Math.round((cpu.service + cpu.postgres + cpu.redis) * 10) / 10} ms`,
      `service ${cpu.service} ms, PostgreSQL ${cpu.postgres} ms, Redis ${cpu.redis} ms`,
    );
    const per = b.perComment;
    record(name, 'service socket writes per comment', `${per.socketWrites}`, 'write system calls');
    record(
      name,
      'PostgreSQL per comment',
      `${per.postgresTransactions} transactions`,
      `${per.postgresRowWrites} rows written`,
    );
    record(name, 'Redis commands per comment', `${per.redisCommands}`, per.redisTop.join(', '));
    const usage = sampler.stop();
    result.usage = usage;
    record(name, 'service RSS (max) / CPU', `${usage.maxRssMb} MB`, `${usage.cpuSeconds} CPU-s`);
    json[name] = result;
    return { cluster, url };
  } catch (error) {
    await cluster.stopAll();
    await cluster.dropDatabase().catch(() => undefined);
    throw error;
  }
}

/**
 * Cached reads on a running deployment (threads seeded directly in PostgreSQL), then the
 * ceilings measured in the same run: the bare Fastify route and, with `withRawInsert`, the raw
 * INSERT that intake is compared with.
 */
async function readsAndCeilings(cluster: Cluster, url: string, withRawInsert: boolean) {
  const sampler = new Sampler(() =>
    cluster.processes.map((p) => p.child?.pid ?? 0).filter(Boolean),
  );
  sampler.start();
  await seedThread(cluster, 'bench', 'thread-200', 200);
  await seedThread(cluster, 'bench', 'thread-10', 10);
  await seedThread(cluster, 'bench', 'thread-10000', 10_000);
  for (let i = 0; i < 100; i++) await seedThread(cluster, 'bench', `count-${i}`, 1);
  const first = await fetch(`${url}/v1/sites/bench/articles/thread-200/comments?limit=200`);
  const etag = first.headers.get('etag') ?? '';
  const body = await first.text();

  const cold = await read(url, '/v1/sites/bench/articles/thread-200/comments?limit=200');
  record(
    'read',
    '200-comment thread (ETag not sent)',
    `${cold.perSecond}/s`,
    `p50 ${cold.p50} ms, p99 ${cold.p99} ms`,
  );
  const cached = await read(url, '/v1/sites/bench/articles/thread-200/comments?limit=200', {
    'if-none-match': etag,
  });
  record(
    'read',
    '200-comment thread, If-None-Match → 304',
    `${cached.perSecond}/s`,
    `p50 ${cached.p50} ms, p99 ${cached.p99} ms`,
  );
  const counts = await read(
    url,
    `/v1/sites/bench/counts?articles=${Array.from({ length: 100 }, (_, i) => `count-${i}`).join(',')}`,
  );
  record(
    'read',
    'counts of 100 articles',
    `${counts.perSecond}/s`,
    `p50 ${counts.p50} ms, p99 ${counts.p99} ms`,
  );
  let cursor: string | null = null;
  let last = '/v1/sites/bench/articles/thread-10000/comments?limit=50';
  for (;;) {
    const page = (await (await fetch(`${url}${last}`)).json()) as { nextCursor: string | null };
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
    last = `/v1/sites/bench/articles/thread-10000/comments?limit=50&cursor=${cursor}`;
  }
  const lastPage = await read(url, last);
  const smallFirst = await read(url, '/v1/sites/bench/articles/thread-10/comments?limit=50');
  record(
    'read',
    '10,000-comment thread, last page',
    `${lastPage.perSecond}/s`,
    `p50 ${lastPage.p50} ms, p99 ${lastPage.p99} ms`,
  );
  record(
    'read',
    '10-comment thread, first page',
    `${smallFirst.perSecond}/s`,
    `p50 ${smallFirst.p50} ms, p99 ${smallFirst.p99} ms`,
  );
  const readUsage = sampler.stop();
  record(
    'read',
    'service RSS (max) / CPU',
    `${readUsage.maxRssMb} MB`,
    `${readUsage.cpuSeconds} CPU-s`,
  );

  const raw = withRawInsert ? await rawInsert(cluster, 50) : null;
  const intakeVsRawInsert = raw === null ? null : intakeRatio(raw);
  const bare = await bareFastify(body);
  record(
    'ceiling',
    'bare Fastify route, same JSON',
    `${bare.perSecond}/s`,
    `p50 ${bare.p50} ms, p99 ${bare.p99} ms`,
  );

  const ratios = {
    intakeVsRawInsert,
    cachedReadVsBare: cold.perSecond / bare.perSecond,
    lastPageVsSmallFirst: smallFirst.perSecond / lastPage.perSecond,
  };
  record(
    'ratio',
    'thread read / bare Fastify',
    `${Math.round(ratios.cachedReadVsBare * 100)} %`,
    `target ≥ 100 % with p99 ≤ 2× bare (p99 ${cold.p99} ms against ${bare.p99} ms)`,
  );
  record(
    'ratio',
    '10,000-thread last page cost / 10-thread first page',
    `${ratios.lastPageVsSmallFirst.toFixed(2)}×`,
    'target ≤ 1.5×',
  );
  json.read = { cold, cached, counts, lastPage, smallFirst, readUsage };
  json.ceilings = { rawInsert: raw, bare };
  json.ratios = ratios;
}

async function importRun(redis: PrivateRedis) {
  const result = await importScenario(redis.url);
  json.import = result;
  record(
    'import',
    `${IMPORT_COMMENTS.toLocaleString('en')}-comment WXR (${result.fileMb} MB), CLI`,
    `${result.perSecond}/s`,
    `${result.seconds} s end to end, ${result.summary.imported} imported; ` +
      `${result.maxRssMb} MB RSS, ${result.cpuSeconds} CPU-s`,
  );
}

/** Records the raw INSERT ceiling and intake at 50 connections (ROLE=all) against it. */
function intakeRatio(raw: number): number {
  record('ceiling', 'raw single-row INSERT (pg, 50 concurrent)', `${raw}/s`);
  const intake50 = (json['all'] as { intake50: { acceptedPerSecond: number; p99: number } })
    .intake50;
  const ratio = intake50.acceptedPerSecond / raw;
  record(
    'ratio',
    'intake (50 conn, all) / raw INSERT',
    `${Math.round(ratio * 100)} %`,
    `target ≥ 50 % with p99 < 50 ms (p99 ${intake50.p99} ms)`,
  );
  return ratio;
}

async function main() {
  const redis = new PrivateRedis(await freePort());
  await redis.start();
  process.stdout.write(
    `Benchmark on ${cpus().length} cores, ${cpus()[0]?.model}; ${DURATION} s per run\n`,
  );
  if (ONLY === 'transport') {
    // The transports side by side, and nothing else (a few minutes).
    try {
      for (const transport of TRANSPORTS) {
        const { cluster } = await topology(`all · ${transport} transport`, redis, false, transport);
        await cluster.stopAll();
        await cluster.dropDatabase();
      }
    } finally {
      await redis.stop();
    }
    return report();
  }
  if (ONLY === 'read') {
    // Cached reads against the bare Fastify route (a minute or two): latest-read.md.
    const cluster = new Cluster(redis, { TRUST_PROXY: 'loopback', LOG_LEVEL: 'warn' });
    try {
      await cluster.add('all' as 'api', 0);
      const url = cluster.processes[0].url;
      await putSite(url, 'bench', 'post');
      await readsAndCeilings(cluster, url, false);
    } finally {
      await cluster.stopAll();
      await cluster.dropDatabase().catch(() => undefined);
      await redis.stop();
    }
    return report();
  }
  if (ONLY === 'import') {
    try {
      await importRun(redis);
    } finally {
      await redis.stop();
    }
    return report();
  }
  if (ONLY === 'pipeline') {
    // The comment pipeline alone (both topologies and the raw INSERT ceiling): no import,
    // reads or hostile-input suite. Writes bench/results/latest-pipeline.md.
    try {
      const split = await topology('api + worker', redis, true);
      await split.cluster.stopAll();
      await split.cluster.dropDatabase();
      const { cluster } = await topology('all', redis, false);
      try {
        intakeRatio(await rawInsert(cluster, 50));
      } finally {
        await cluster.stopAll();
        await cluster.dropDatabase().catch(() => undefined);
      }
    } finally {
      await redis.stop();
    }
    return report();
  }
  try {
    await importRun(redis);
    const split = await topology('api + worker', redis, true);
    await split.cluster.stopAll();
    await split.cluster.dropDatabase();
    if (TRANSPORTS.length === 2) {
      // Side by side: the same topology on PostgreSQL alone (no Redis; the Redis column is 0).
      const alone = await topology('all · PostgreSQL transport', redis, false, 'postgres');
      await alone.cluster.stopAll();
      await alone.cluster.dropDatabase();
    }

    const { cluster, url } = await topology('all', redis, false);
    try {
      await readsAndCeilings(cluster, url, true);
    } finally {
      await cluster.stopAll();
      await cluster.dropDatabase().catch(() => undefined);
    }
  } finally {
    await redis.stop();
  }
  if (FUZZ_RUNS > 0) {
    const f = await fuzz(FUZZ_RUNS);
    json.fuzz = f;
    record(
      'hostile input',
      `${FUZZ_RUNS.toLocaleString('en')} generated requests`,
      f.passed ? 'passed' : 'FAILED',
      `no 5xx, no hang, nothing stored for a rejected request; ${f.seconds} s`,
    );
    if (!f.passed) process.exitCode = 1;
  }
  report();
}

function report() {
  const date = new Date().toISOString();
  const table = [
    `Benchmark ${date} · ${cpus().length} × ${cpus()[0]?.model} · Node ${process.version}`,
    '',
    '| | measure | result | detail |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.group} | ${r.name} | ${r.value} | ${r.detail ?? ''} |`),
  ].join('\n');
  process.stdout.write(`\n${table}\n`);
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `bench-${date.replace(/[:.]/g, '-')}.json`),
    JSON.stringify({ date, rows, results: json }, null, 2),
  );
  writeFileSync(join(dir, ONLY ? `latest-${ONLY}.md` : 'latest.md'), `${table}\n`);
}

await main();
