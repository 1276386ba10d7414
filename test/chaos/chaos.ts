// `npm run chaos`: real processes (2 api + 2 worker), a steady load from a ledger of every 202,
// and one fault at a time. After each fault, with workers running again, the invariants are
// checked; any loss or duplicate fails the run. See README "Guarantees".
import { createServer, type Server } from 'node:http';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { failed, StreamWatcher, verify, type Findings } from './checks.js';
import { Cluster, freePort, PrivateRedis, ROOT, sleep, until } from './cluster.js';
import { auth, Load, SITES, type PhaseStats } from './load.js';

const RATE = Number(process.env.CHAOS_RATE ?? 40);
const LOAD_MS = Number(process.env.CHAOS_LOAD_MS ?? 8000);
const SETTLE_DEADLINE_MS = Number(process.env.CHAOS_DEADLINE_MS ?? 90_000);
/**
 * `--transport postgres` (or CHAOS_TRANSPORT=postgres): the deployment runs on PostgreSQL alone
 * (REDIS_URL unset semantics); the Redis scenarios give way to a loss of every queued job, and
 * there is no Redis Stream to watch (events are checked in PostgreSQL, leaks there too).
 */
const TRANSPORT: 'redis' | 'postgres' = (() => {
  const i = process.argv.indexOf('--transport');
  const value = i >= 0 ? process.argv[i + 1] : (process.env.CHAOS_TRANSPORT ?? 'redis');
  if (value !== 'redis' && value !== 'postgres') {
    throw new Error(`--transport must be redis or postgres (got "${value}")`);
  }
  return value;
})();

interface Context {
  cluster: Cluster;
  load: Load;
  receivers: Receivers;
  watcher: StreamWatcher;
  /** Problems the injection itself found (e.g. a request lost during a graceful shutdown). */
  failures: string[];
}

interface Scenario {
  name: string;
  /** Only on this transport (the scenario is about it). */
  only?: 'redis' | 'postgres';
  /** Runs mid-load; returns a note for the table. */
  inject(ctx: Context): Promise<string>;
  /** Runs once the system settled; returns more of the note. */
  after?(ctx: Context): Promise<string>;
}

interface Receivers {
  slow: Server;
  failing: Server;
  slowHits: number;
  failingHits: number;
  /** webhook-id → times received, per receiver. */
  slowIds: Map<string, number>;
  failingIds: Map<string, number>;
  bodies: string[];
}

const live = (cluster: Cluster) => cluster.apis().find((p) => p.child !== null && !p.draining)!;

/** BullMQ jobs being processed right now, over both queues. */
async function activeJobs(cluster: Cluster): Promise<number> {
  const queues = ['spam', 'moderation'].map((name) => cluster.queue(name));
  try {
    const counts = await Promise.all(queues.map((q) => q.getActiveCount()));
    return counts.reduce((a, b) => a + b, 0);
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}

/**
 * How many jobs BullMQ found with their worker dead while it held them: the jobs whose stalled
 * counter (`stc` of the job hash) is set. (Its event streams are trimmed to a short tail.)
 */
async function stalledEvents(cluster: Cluster): Promise<number> {
  if (cluster.transport === 'postgres') {
    const db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM bullmq.event
         WHERE event = 'stalled' AND queue IN ('spam', 'moderation')`,
      );
      return rows[0].n;
    } finally {
      await db.end();
    }
  }
  const redis = new Redis(cluster.redis.url);
  redis.on('error', () => undefined);
  try {
    let n = 0;
    for (const queue of ['spam', 'moderation']) {
      const base = `${cluster.prefix}:${queue}`;
      const ids = [
        ...(await redis.zrange(`${base}:completed`, 0, -1)),
        ...(await redis.zrange(`${base}:failed`, 0, -1)),
        ...(await redis.lrange(`${base}:active`, 0, -1)),
        ...(await redis.lrange(`${base}:wait`, 0, -1)),
      ];
      const counters = await Promise.all(ids.map((id) => redis.hget(`${base}:${id}`, 'stc')));
      n += counters.filter((c) => Number(c ?? 0) > 0).length;
    }
    return n;
  } finally {
    redis.disconnect();
  }
}

/** The local TCP ports of a process's sockets (from /proc), to find its database sessions. */
function localPorts(pid: number): Set<number> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' });
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode) inodes.add(inode);
    }
  } catch {
    return new Set();
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && inodes.has(fields[9])) {
        ports.add(parseInt(fields[1].split(':')[1], 16));
      }
    }
  }
  return ports;
}

/** Waits (briefly) until `probe` is true, then returns; false if it never was. */
async function when(probe: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(2);
  }
  return false;
}

let stalledBefore = 0;
let webhookFrom = 0;
const webhookIds: string[] = [];

const scenarios: Scenario[] = [
  {
    name: '1. kill -9 a worker mid-jobs',
    async inject({ cluster, load, failures }) {
      const worker = cluster.workers()[0];
      stalledBefore = await stalledEvents(cluster);
      // A burst so that both workers hold jobs, then the kill while jobs are active.
      load.burst(120);
      const busy = await when(async () => (await activeJobs(cluster)) >= 4, 5000);
      const active = await activeJobs(cluster);
      await cluster.kill(worker, 'SIGKILL');
      if (!busy) failures.push('scenario 1: no jobs were active when the worker was killed');
      await sleep(2000);
      await cluster.start(worker);
      return `${worker.name} killed with ${active} jobs active, restarted after 2 s`;
    },
    async after({ cluster }) {
      const stalled = (await stalledEvents(cluster)) - stalledBefore;
      return `; ${stalled} jobs it held recovered as stalled`;
    },
  },
  {
    name: '2. every queued job lost (PostgreSQL transport: the rows of schema bullmq)',
    only: 'postgres',
    async inject({ cluster }) {
      const db = new pg.Client({ connectionString: cluster.databaseUrl });
      await db.connect();
      try {
        const { rowCount } = await db.query(`DELETE FROM bullmq.job`);
        return `${rowCount} jobs deleted (waiting, active, delayed, finished)`;
      } finally {
        await db.end();
      }
    },
  },
  {
    name: '2. every Redis key of the deployment deleted',
    only: 'redis',
    async inject({ cluster, watcher }) {
      await watcher.pause();
      const redis = new Redis(cluster.redis.url);
      redis.on('error', () => undefined);
      let deleted = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${cluster.prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) deleted += await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
      watcher.resume();
      return `${deleted} keys deleted (queues, jobs, stream, counters, caches)`;
    },
  },
  {
    name: '3. Redis restarted (no persistence)',
    only: 'redis',
    async inject({ cluster, watcher }) {
      await watcher.pause();
      await cluster.redis.stop();
      await sleep(1500);
      await cluster.redis.start();
      watcher.resume();
      return 'down 1.5 s, back empty';
    },
  },
  {
    name: '4. PostgreSQL connections killed',
    async inject({ cluster }) {
      const admin = new pg.Client({ connectionString: cluster.databaseUrl });
      await admin.connect();
      let killed = 0;
      for (let i = 0; i < 3; i++) {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
           WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [cluster.database],
        );
        killed += rows[0].n;
        await sleep(1000);
      }
      await admin.end();
      return `${killed} backends terminated in 3 rounds`;
    },
  },
  {
    name: '5. an api process killed during requests',
    async inject({ cluster, load, failures }) {
      const api = cluster.apis()[0];
      // Submissions are answered in milliseconds: a burst on top of the steady load makes sure
      // some are on their way to this api when it dies.
      load.burst(20);
      const busy = await when(() => load.inFlightTo(api).length >= 2, 20_000);
      const inFlight = load.inFlightTo(api);
      await cluster.kill(api, 'SIGKILL');
      if (!busy) failures.push('scenario 5: no request was in flight when the api was killed');
      const outcomes = await Promise.all(inFlight);
      await sleep(1500);
      await cluster.start(api);
      const cut = outcomes.filter((o) => o === 'network-error').length;
      return `${api.name} killed with ${inFlight.length} requests in flight (${cut} cut off, retried with their Idempotency-Key), restarted after 1.5 s`;
    },
  },
  {
    name: '6. jobs delivered twice; moderator races the worker',
    async inject({ cluster, load }) {
      const queues = ['spam', 'moderation'].map((name) => cluster.queue(name));
      let duplicates = 0;
      const again = async (id: string, tag: string) => {
        for (const queue of queues) {
          await queue.add(queue.name, { commentId: id }, { jobId: `${id}-${tag}` });
          duplicates++;
        }
      };
      // Finished comments get their jobs again…
      for (const id of [...load.ledger.keys()].slice(-40)) await again(id, 'again');
      const api = live(cluster);
      let raced = 0;
      for (let i = 0; i < 15; i++) {
        // …a published one is taken down while duplicate jobs for it run, …
        const post = await load.submitDirect(api, SITES.post, 'race');
        if (post) {
          await Promise.all([
            again(post, 'dup1'),
            again(post, 'dup2'),
            until(async () => (await load.decide(api, post, 'reject')) !== null, 5000, 5),
          ]);
          raced++;
        }
        // …and a held one is approved and rejected at once while its moderation job runs again.
        const pre = await load.submitDirect(api, SITES.pre, 'race');
        if (pre) {
          await until(async () => (await load.decide(api, pre, 'approve')) !== null, 5000, 5);
          await Promise.all([
            again(pre, 'dup'),
            load.decide(api, pre, 'reject').catch(() => null),
            load.decide(api, pre, 'approve').catch(() => null),
            load.decide(api, pre, 'spam').catch(() => null),
          ]);
          raced++;
        }
      }
      await Promise.all(queues.map((q) => q.close()));
      return `${duplicates} duplicate jobs, ${raced} moderator/worker races`;
    },
  },
  {
    name: '7. a slow and an always-failing webhook',
    async inject({ cluster, receivers }) {
      const api = live(cluster);
      for (const server of [receivers.slow, receivers.failing]) {
        const { port } = server.address() as { port: number };
        const res = await fetch(`${api.url}/v1/admin/webhooks`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({
            url: `http://127.0.0.1:${port}/hook`,
            events: ['comment.approved'],
          }),
        });
        if (res.status !== 201) {
          throw new Error(`webhook registration answered ${res.status}: ${await res.text()}`);
        }
        webhookIds.push(((await res.json()) as { id: string }).id);
      }
      // Events written after this read are relayed (positioned, then fanned out) after the
      // registration committed, so with both endpoints known. By `sequence` (the write order),
      // not `position`: an event written earlier but positioned by a relay transaction that
      // was still open may get a higher position and yet have been fanned out without them.
      const db = new pg.Client({ connectionString: cluster.databaseUrl });
      await db.connect();
      webhookFrom = Number(
        (await db.query<{ n: string }>(`SELECT coalesce(max(sequence), 0) AS n FROM outbox_events`))
          .rows[0].n,
      );
      await db.end();
      return `registered mid-load (slow: ${SLOW_HOOK_MS} ms per answer; failing: always 500)`;
    },
    async after({ cluster, receivers, failures }) {
      const db = new pg.Client({ connectionString: cluster.databaseUrl });
      await db.connect();
      try {
        const approved = (
          await db.query<{ event_id: string }>(
            `SELECT event_id FROM outbox_events WHERE type = 'comment.approved' AND sequence > $1`,
            [webhookFrom],
          )
        ).rows.map((r) => r.event_id);
        const [slowId, failingId] = webhookIds;
        // Every event handed to both endpoints: the slow one gets each, the failing one gives up.
        const done = await until(
          async () => {
            const { rows } = await db.query<{ endpoint_id: string; status: string; n: number }>(
              `SELECT endpoint_id, status, count(*)::int AS n FROM webhook_deliveries
               WHERE event_id = ANY($1::uuid[]) GROUP BY 1, 2`,
              [approved],
            );
            const n = (e: string, st: string) =>
              rows.find((r) => r.endpoint_id === e && r.status === st)?.n ?? 0;
            return n(slowId, 'succeeded') === approved.length &&
              n(failingId, 'failed') === approved.length &&
              approved.every((id) => receivers.slowIds.has(id))
              ? rows
              : null;
          },
          120_000,
          500,
        );
        const lost = approved.filter((id) => !receivers.slowIds.has(id)).length;
        const again = [...receivers.slowIds.values()].filter((n) => n > 1).length;
        const attempts = approved.map((id) => receivers.failingIds.get(id) ?? 0);
        const wrongAttempts = attempts.filter((n) => n !== WEBHOOK_MAX_ATTEMPTS).length;
        if (!done)
          failures.push(
            `scenario 7: deliveries not final; ${lost} events never reached the slow receiver`,
          );
        if (wrongAttempts)
          failures.push(
            `scenario 7: ${wrongAttempts} events not tried exactly ${WEBHOOK_MAX_ATTEMPTS} times on the failing endpoint`,
          );
        return `; ${approved.length} approvals: slow got ${approved.length - lost} (${again} twice), failing tried ${WEBHOOK_MAX_ATTEMPTS}× each then gave up (${receivers.failingHits} hits)`;
      } finally {
        await db.end();
      }
    },
  },
  {
    name: '8. SIGTERM during load (graceful)',
    async inject({ cluster, load, failures }) {
      const api = cluster.apis()[1];
      const worker = cluster.workers()[1];
      // At ~40 submissions a second answered in milliseconds, two in flight to one api at once
      // can take a while to come by; one is what the scenario needs.
      await when(() => load.inFlightTo(api).length >= 1, 20_000);
      const inFlight = load.inFlightTo(api);
      const active = await activeJobs(cluster);
      const [apiMs, workerMs] = await Promise.all([
        cluster.kill(api, 'SIGTERM'),
        cluster.kill(worker, 'SIGTERM'),
      ]);
      const outcomes = await Promise.all(inFlight);
      const lost = outcomes.filter((o) => o === 'network-error' || o === 'server-error').length;
      if (!inFlight.length) failures.push('scenario 8: no request was in flight at SIGTERM');
      if (lost)
        failures.push(`scenario 8: ${lost} of ${inFlight.length} in-flight requests failed`);
      await Promise.all([cluster.start(api), cluster.start(worker)]);
      return `${inFlight.length} requests in flight all answered (${lost} failed), ${active} jobs active; api drained in ${apiMs} ms, worker in ${workerMs} ms`;
    },
  },
  {
    name: '9. an api process killed in the middle of a group commit',
    async inject({ cluster, load, failures }) {
      const api = cluster.apis()[0];
      const pid = api.child?.pid ?? 0;
      const admin = new pg.Client({ connectionString: cluster.databaseUrl });
      await admin.connect();
      try {
        // A burst to this api alone: its submissions are committed in groups (one multi-row
        // statement each). Kill it while PostgreSQL is running one of its group statements.
        load.burst(300, api);
        let group = false;
        const deadline = Date.now() + 20_000;
        while (!group && Date.now() < deadline) {
          const { rows } = await admin.query<{ port: number }>(
            `SELECT client_port AS port FROM pg_stat_activity
             WHERE datname = $1 AND state = 'active' AND query LIKE 'WITH input AS (%'`,
            [cluster.database],
          );
          // Only when a group statement runs: is it one of this api's sessions?
          if (rows.length) {
            const ports = localPorts(pid);
            group = rows.some((r) => ports.has(r.port));
          }
          if (!group) await sleep(2);
        }
        const inFlight = load.inFlightTo(api);
        await cluster.kill(api, 'SIGKILL');
        if (!group) failures.push('scenario 9: no group commit of the api was seen running');
        const outcomes = await Promise.all(inFlight);
        await sleep(1500);
        await cluster.start(api);
        const cut = outcomes.filter((o) => o === 'network-error').length;
        return `${api.name} killed while its group statement ran (${inFlight.length} requests in flight, ${cut} cut off and retried with their Idempotency-Key), restarted after 1.5 s`;
      } finally {
        await admin.end();
      }
    },
  },
];

const SLOW_HOOK_MS = 800;
const WEBHOOK_MAX_ATTEMPTS = 3;

async function receivers(): Promise<Receivers> {
  const r = {
    slowHits: 0,
    failingHits: 0,
    slowIds: new Map(),
    failingIds: new Map(),
    bodies: [],
  } as unknown as Receivers;
  const record = (ids: Map<string, number>, req: import('node:http').IncomingMessage) => {
    const id = String(req.headers['webhook-id'] ?? '');
    ids.set(id, (ids.get(id) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => r.bodies.push(Buffer.concat(chunks).toString('utf8')));
  };
  r.slow = createServer((req, res) => {
    r.slowHits++;
    record(r.slowIds, req);
    setTimeout(() => res.writeHead(200).end(), SLOW_HOOK_MS);
  });
  r.failing = createServer((req, res) => {
    r.failingHits++;
    record(r.failingIds, req);
    res.writeHead(500).end();
  });
  await Promise.all(
    [r.slow, r.failing].map((s) => new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok))),
  );
  return r;
}

interface Row {
  scenario: string;
  note: string;
  stats: PhaseStats;
  findings: Findings;
}

async function main(): Promise<void> {
  const redis = new PrivateRedis(await freePort());
  await redis.start();
  const cluster = new Cluster(redis, {
    TRANSPORT,
    TRUST_PROXY: 'loopback',
    PENDING_SWEEP_AFTER_S: '3',
    SWEEP_INTERVAL_MS: '500',
    EVENTS_RELAY_POLL_MS: '200',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_MAX_ATTEMPTS: String(WEBHOOK_MAX_ATTEMPTS),
    WEBHOOK_TIMEOUT_MS: '2000',
    WORKER_CONCURRENCY: '8',
  });
  const hooks = await receivers();
  const rows: Row[] = [];
  let exitCode = 0;
  let watcher: StreamWatcher | undefined;
  try {
    process.stdout.write(`Starting 2 api + 2 worker processes (database ${cluster.database})…\n`);
    await cluster.add('api', 0);
    await cluster.add('worker', 0);
    await Promise.all([cluster.add('api', 1), cluster.add('worker', 1)]);
    const api = cluster.apis()[0];
    for (const [siteId, mode] of [
      [SITES.post, 'post'],
      [SITES.pre, 'pre'],
    ] as const) {
      const res = await fetch(`${api.url}/v1/admin/sites/${siteId}`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: siteId,
          settings: {
            moderation: { mode, maxDepth: 8 },
            rateLimit: { perIpPerMinute: 100000, perEmailPerMinute: 100000 },
          },
        }),
      });
      if (!res.ok) throw new Error(`site setup answered ${res.status}`);
    }
    const load = new Load(cluster);
    watcher = new StreamWatcher(cluster);
    watcher.start();
    const ctx: Context = { cluster, load, receivers: hooks, watcher, failures: [] };

    const only = process.env.CHAOS_ONLY?.split(',').map(Number);
    const numbered = scenarios.filter((s) => !s.only || s.only === TRANSPORT);
    for (const scenario of numbered.filter(
      (s) => !only || only.includes(Number.parseInt(s.name)),
    )) {
      process.stdout.write(`${scenario.name}… `);
      await load.refreshParents();
      load.start(RATE);
      await sleep(LOAD_MS / 2);
      ctx.failures = [];
      let note = await scenario.inject(ctx);
      await sleep(LOAD_MS / 2);
      const stats = await load.stop();
      const findings = await verify(cluster, load, SETTLE_DEADLINE_MS, {
        watcher,
        webhookBodies: () => hooks.bodies,
        scenarioFailures: ctx.failures,
      });
      if (scenario.after) {
        const before = ctx.failures.length;
        note += await scenario.after(ctx);
        findings.scenarioFailures += ctx.failures.length - before;
        findings.details?.push(...ctx.failures.slice(before));
      }
      rows.push({ scenario: scenario.name, note, stats, findings });
      process.stdout.write(
        `${failed(findings) ? 'FAILED' : 'ok'} (${findings.settleMs} ms to settle)\n`,
      );
      if (failed(findings)) {
        exitCode = 1;
        process.stdout.write(`${JSON.stringify(findings.details ?? [], null, 1).slice(0, 4000)}\n`);
      }
    }
  } catch (error) {
    exitCode = 1;
    process.stderr.write(`Chaos run aborted: ${(error as Error).stack}\n`);
    for (const [name, log] of cluster.logs)
      process.stderr.write(`--- ${name}\n${log.join('').slice(-3000)}\n`);
  } finally {
    await watcher?.stop();
    await cluster.stopAll();
    await redis.stop();
    hooks.slow.closeAllConnections();
    hooks.failing.closeAllConnections();
    hooks.slow.close();
    hooks.failing.close();
    await cluster.dropDatabase().catch(() => undefined);
  }
  report(rows);
  process.exit(exitCode);
}

function report(rows: Row[]): void {
  const header = [
    'scenario',
    'fault injected (mid-load)',
    'sent',
    '202',
    '202/s',
    '4xx',
    '5xx',
    'net err',
    'retried→202',
    'decisions',
    'settle ms',
    'missing',
    'not final',
    'bad history',
    'dup in thread',
    'absent/unapproved in thread',
    'count off',
    'events off',
    'stream dup',
    'stream order',
    'unrelayed',
    'email leaks',
    'scenario checks',
  ];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => {
      const s = r.stats;
      const f = r.findings;
      return `| ${[
        r.scenario,
        r.note,
        s.sent,
        s.accepted,
        (s.accepted / (s.durationMs / 1000)).toFixed(1),
        s.clientErrors,
        s.serverErrors,
        s.networkErrors,
        s.retriedAccepted,
        s.decisions,
        f.settleMs,
        f.missing,
        f.notFinal,
        f.brokenHistory,
        f.duplicatesInThreads,
        `${f.missingFromThread}/${f.unapprovedInThread}`,
        f.countMismatches,
        f.eventMismatches,
        f.streamDuplicates,
        f.streamOutOfOrder,
        f.unrelayed,
        f.emailLeaks,
        f.scenarioFailures ? `${f.scenarioFailures} FAILED` : 'ok',
      ].join(' | ')} |`;
    }),
  ];
  const total = rows.reduce((n, r) => n + r.stats.accepted, 0);
  const verdict =
    rows.length > 0 && !rows.some((r) => failed(r.findings))
      ? `PASS: ${total} accepted comments, none lost or duplicated`
      : 'FAIL: see the rows above';
  process.stdout.write(`\n${lines.join('\n')}\n\n${verdict}\n`);
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `chaos-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    JSON.stringify({ date: new Date().toISOString(), rate: RATE, loadMs: LOAD_MS, rows }, null, 2),
  );
}

await main();
