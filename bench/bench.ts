// `npm run bench`: starts the built service itself (ROLE=all, then api + worker processes) on
// its own database and a Redis of its own, and measures on loopback with autocannon while
// sampling the service's RSS and CPU. Prints a Markdown table; writes JSON to bench/results/.
// Not part of `npm test`. BENCH_DURATION (seconds per run, default 10) shortens it.
// `--transport redis|postgres|both` (default both): the topologies run on Redis, and the
// `all` topology's intake, pipeline and CPU per comment once more on PostgreSQL alone.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
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

/** Submit → published latency at a fixed arrival rate, seen by a live consumer (pub/sub). */
async function pipeline(url: string, cluster: Cluster, siteId: string) {
  const submitted = new Map<string, number>();
  const latencies: number[] = [];
  const sub = new Redis(cluster.redis.url);
  sub.on('message', (_c, message: string) => {
    const event = JSON.parse(message) as { type: string; data: { comment: { id: string } } };
    if (event.type !== 'comment.approved') return;
    const at = submitted.get(event.data.comment.id);
    if (at !== undefined) latencies.push(Date.now() - at);
  });
  await sub.subscribe(`${cluster.prefix}:events:live`);
  const sent = new Map<string, number>();
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
          submitted.set(id, (context as { sentAt: number }).sentAt);
          sent.set(id, Date.now());
        },
      },
    ],
  });
  await until(() => Promise.resolve(latencies.length >= submitted.size), 30_000, 100);
  sub.disconnect();
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    published: latencies.length,
    submitted: submitted.size,
    p50: q(0.5),
    p99: q(0.99),
    max: latencies.at(-1) ?? NaN,
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

/** The most comments a second the pipeline takes from submit to published. */
/** Every PostgreSQL server process on this machine (the benchmark runs alone on it). */
function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function burst(url: string, cluster: Cluster, siteId: string) {
  // Where the CPU goes per comment: the service's processes, PostgreSQL and Redis.
  const service = new Sampler(() =>
    cluster.processes.map((p) => p.child?.pid ?? 0).filter(Boolean),
  );
  const postgres = new Sampler(postgresPids);
  const redis = new Sampler(() => [cluster.redis.pid ?? 0].filter(Boolean));
  for (const s of [service, postgres, redis]) s.start();
  const started = Date.now();
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
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  try {
    await until(
      async () => {
        const { rows: r } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM comments WHERE site_id = $1 AND article_id = 'burst' AND status <> 'pending'`,
          [siteId],
        );
        return r[0].n >= BURST;
      },
      120_000,
      100,
    );
    const { rows: r } = await db.query<{ n: number; seconds: number }>(
      `SELECT count(*)::int AS n, extract(epoch FROM max(updated_at) - $2::timestamptz)::float AS seconds
       FROM comments WHERE site_id = $1 AND article_id = 'burst' AND status <> 'pending'`,
      [siteId, new Date(started)],
    );
    const perComment = (usage: { cpuSeconds: number }) =>
      Math.round((usage.cpuSeconds * 1000 * 100) / r[0].n) / 100;
    return {
      comments: r[0].n,
      perSecond: Math.round(r[0].n / r[0].seconds),
      cpuMsPerComment: {
        service: perComment(service.stop()),
        postgres: perComment(postgres.stop()),
        redis: perComment(redis.stop()),
      },
    };
  } finally {
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
      const r = await intake(url, 'bench', connections);
      result[`intake${connections}`] = r;
      record(
        name,
        `intake, ${connections} connections`,
        `${r.acceptedPerSecond}/s`,
        `p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}`,
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
  if (ONLY === 'import') {
    try {
      await importRun(redis);
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

      const raw = await rawInsert(cluster, 50);
      record('ceiling', 'raw single-row INSERT (pg, 50 concurrent)', `${raw}/s`);
      const bare = await bareFastify(body);
      record(
        'ceiling',
        'bare Fastify route, same JSON',
        `${bare.perSecond}/s`,
        `p50 ${bare.p50} ms, p99 ${bare.p99} ms`,
      );

      const intake50 = (json['all'] as { intake50: { acceptedPerSecond: number } }).intake50;
      const ratios = {
        intakeVsRawInsert: intake50.acceptedPerSecond / raw,
        cachedReadVsBare: cold.perSecond / bare.perSecond,
        lastPageVsSmallFirst: smallFirst.perSecond / lastPage.perSecond,
      };
      record(
        'ratio',
        'intake (50 conn, all) / raw INSERT',
        `${Math.round(ratios.intakeVsRawInsert * 100)} %`,
        'target ≥ 50 %',
      );
      record(
        'ratio',
        'thread read / bare Fastify',
        `${Math.round(ratios.cachedReadVsBare * 100)} %`,
        'target ≥ 70 %',
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
