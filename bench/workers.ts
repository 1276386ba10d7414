// `npm run bench:workers`: what the worker role costs per comment, alone. Submits a backlog
// through an api process while the spam and moderation queues are paused, starts a worker
// process, resets the counters, resumes the queues and measures until every comment is final
// and every event relayed: the worker's, its PostgreSQL backends' and Redis's CPU (from /proc),
// PostgreSQL transactions (`pg_stat_database`; the workers' statements run one to a
// transaction), Redis commands (`INFO commandstats`) and socket writes of the worker
// (`/proc/<pid>/io` syscw). Not part of `npm test`.
// WORKERS_BENCH_COMMENTS (default 3000), WORKERS_BENCH_MODE (site mode, default trusted),
// WORKERS_BENCH_PORT (first of three ports: api, worker, Redis; default 4200).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  ADMIN_TOKEN,
  NODE_FLAGS,
  PG_SERVER,
  PrivateRedis,
  ROOT,
  until,
} from '../test/chaos/cluster.js';
import { Sampler } from './sampler.js';

const COMMENTS = Number(process.env.WORKERS_BENCH_COMMENTS ?? 3000);
const MODE = process.env.WORKERS_BENCH_MODE ?? 'trusted';
const BASE_PORT = Number(process.env.WORKERS_BENCH_PORT ?? 4200);
const CONCURRENCY = process.env.WORKER_CONCURRENCY ?? '16';
const database = `comments_workers_${Date.now().toString(36)}`;
const prefix = `workers${Date.now().toString(36)}`;
const databaseUrl = `${PG_SERVER}/${database}`;
const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const secretKey = randomBytes(32).toString('base64');

function startService(role: 'api' | 'worker', port: number, redisUrl: string): ChildProcess {
  const child = spawn(process.execPath, [...NODE_FLAGS, 'dist/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      ROLE: role,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      ADMIN_TOKEN,
      SECRET_KEY: secretKey,
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'loopback',
      WORKER_CONCURRENCY: CONCURRENCY,
      // The backlog waits in paused queues: the sweeper must not re-drive it meanwhile.
      PENDING_SWEEP_AFTER_S: '86400',
      ...(process.env.PIPELINE_CONCURRENCY
        ? { PIPELINE_CONCURRENCY: process.env.PIPELINE_CONCURRENCY }
        : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

async function ready(port: number): Promise<void> {
  const ok = await until(
    async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok,
    90_000,
    100,
  );
  if (!ok) throw new Error(`the service on port ${port} did not become ready`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** The PostgreSQL backends serving this run's database. */
function backendPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function socketWrites(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return Number(/syscw:\s*(\d+)/.exec(io)?.[1] ?? 0);
}

async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) {
    calls.set(match[1], Number(match[2]));
  }
  return calls;
}

/** Read from another database's session, so that reading adds nothing to the count. */
async function xacts(admin: pg.Client): Promise<number> {
  // An idle backend reports its statistics within 10 s (PostgreSQL 15's idle interval).
  await new Promise((r) => setTimeout(r, 11_000));
  await admin.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await admin.query<{ n: string }>(
    `SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = $1`,
    [database],
  );
  return Number(rows[0]?.n ?? 0);
}

async function submitAll(port: number): Promise<void> {
  let next = 0;
  const one = async () => {
    while (next < COMMENTS) {
      const n = next++;
      const res = await fetch(
        `http://127.0.0.1:${port}/v1/sites/bench/articles/a${n % 50}/comments`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-forwarded-for': `10.${n % 250}.${(n >> 8) % 250}.${n % 97}`,
          },
          body: JSON.stringify({
            name: `Reader ${n}`,
            email: `reader-${n}@example.org`,
            body: `Worker bench comment ${n}: the council's figures in the third paragraph look right to me.`,
          }),
        },
      );
      if (res.status !== 202) throw new Error(`submit answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 20 }, one));
}

async function main() {
  const redis = new PrivateRedis(BASE_PORT + 2);
  await redis.start();
  const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
  const children: ChildProcess[] = [];
  let db: pg.Client | undefined;
  const queues = ['spam', 'moderation'].map(
    (name) => new Queue(name, { connection: { url: redis.url }, prefix }),
  );
  try {
    const api = startService('api', BASE_PORT, redis.url);
    children.push(api);
    await ready(BASE_PORT);
    const res = await fetch(`http://127.0.0.1:${BASE_PORT}/v1/admin/sites/bench`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({
        name: 'bench',
        settings: {
          moderation: { mode: MODE },
          rateLimit: { perIpPerMinute: 1_000_000, perEmailPerMinute: 1_000_000 },
          spam: { maxPerHourPerIp: 1_000_000, maxPerHourPerEmail: 1_000_000 },
        },
      }),
    });
    if (!res.ok) throw new Error(`PUT site answered ${res.status}`);
    await Promise.all(queues.map((q) => q.pause()));
    await submitAll(BASE_PORT);
    await stop(api);

    const worker = startService('worker', BASE_PORT + 1, redis.url);
    children.push(worker);
    await ready(BASE_PORT + 1);
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const control = new Redis(redis.url);
    const unrelayed = async () =>
      (
        await db!.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox_events WHERE relayed_at IS NULL`,
        )
      ).rows[0].n;
    // The relay sends the backlog's comment.submitted events first: not the workers' cost.
    await until(async () => (await unrelayed()) === 0, 120_000, 100);
    const xactsBefore = await xacts(admin);
    const countedFrom = Date.now();
    await control.config('RESETSTAT');
    const writesBefore = socketWrites(worker.pid!);
    const samplers = {
      worker: new Sampler(() => [worker.pid!]),
      postgres: new Sampler(backendPids),
      redis: new Sampler(() => [redis.pid!]),
    };
    for (const s of Object.values(samplers)) s.start();
    const started = Date.now();
    await Promise.all(queues.map((q) => q.resume()));
    let polls = 0;
    const done = await until(
      async () => {
        polls++;
        const { rows } = await db!.query<{ pending: number; unrelayed: number }>(
          `SELECT (SELECT count(*)::int FROM comments WHERE status = 'pending') AS pending,
                  (SELECT count(*)::int FROM outbox_events WHERE relayed_at IS NULL) AS unrelayed`,
        );
        return rows[0].pending === 0 && rows[0].unrelayed === 0;
      },
      600_000,
      50,
    );
    if (!done) throw new Error('the worker did not finish within 10 minutes');
    const seconds = (Date.now() - started) / 1000;
    const cpu = Object.fromEntries(
      Object.entries(samplers).map(([k, s]) => [k, s.stop().cpuSeconds]),
    ) as Record<keyof typeof samplers, number>;
    const writes = socketWrites(worker.pid!) - writesBefore;
    const calls = await commandCalls(control);
    control.disconnect();
    // This script's own polls are one transaction each, and the idle worker's own (relay
    // lease, sweeper) go on at the rate measured in the quiet window after: both subtracted.
    const xactsAfter = await xacts(admin);
    const countedUntil = Date.now();
    const idle = (await xacts(admin)) - xactsAfter;
    const idleShare = Math.round(
      (idle * (countedUntil - countedFrom)) / (Date.now() - countedUntil),
    );
    const transactions = xactsAfter - xactsBefore - idleShare;
    const { rows: statuses } = await db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM comments GROUP BY status ORDER BY status`,
    );
    const per = (x: number) => Math.round((x / COMMENTS) * 100) / 100;
    const totalCalls = [...calls.values()].reduce((a, b) => a + b, 0);
    const top = [...calls.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, n]) => `${name} ${per(n)}`)
      .join(', ');
    const ms = (s: number) => Math.round((s * 1000 * 100) / COMMENTS) / 100;
    process.stdout.write(
      [
        `workers bench: ${COMMENTS} comments, mode ${MODE}, WORKER_CONCURRENCY ${CONCURRENCY}`,
        `statuses: ${statuses.map((s) => `${s.status} ${s.n}`).join(', ')}`,
        `throughput: ${Math.round(COMMENTS / seconds)}/s (${seconds.toFixed(1)} s)`,
        `CPU per comment: worker ${ms(cpu.worker)} ms, PostgreSQL ${ms(cpu.postgres)} ms, Redis ${ms(cpu.redis)} ms, total ${ms(cpu.worker + cpu.postgres + cpu.redis)} ms`,
        `PostgreSQL transactions per comment: ${per(transactions - polls)} (${transactions + idleShare} less ${polls} polls and ~${idleShare} idle ones)`,
        `Redis commands per comment: ${per(totalCalls)} (${top})`,
        `worker socket writes per comment: ${per(writes)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    await db?.end();
    for (const child of children) await stop(child);
    await redis.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
