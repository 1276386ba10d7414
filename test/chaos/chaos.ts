// `npm run chaos`: real processes (2 api + 2 worker), a steady load from a ledger of every 202,
// and one fault at a time. After each fault, with workers running again, the invariants are
// checked; any loss or duplicate fails the run. See README "Guarantees".
import { createServer, type Server } from 'node:http';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { failed, verify, type Findings } from './checks.js';
import { Cluster, freePort, PrivateRedis, ROOT, sleep, until } from './cluster.js';
import { auth, Load, SITES, type PhaseStats } from './load.js';

const RATE = Number(process.env.CHAOS_RATE ?? 40);
const LOAD_MS = Number(process.env.CHAOS_LOAD_MS ?? 8000);
const SETTLE_DEADLINE_MS = Number(process.env.CHAOS_DEADLINE_MS ?? 90_000);

interface Context {
  cluster: Cluster;
  load: Load;
  receivers: Receivers;
}

interface Scenario {
  name: string;
  /** Runs mid-load; returns a note for the table. */
  inject(ctx: Context): Promise<string>;
}

interface Receivers {
  slow: Server;
  failing: Server;
  slowHits: number;
  failingHits: number;
}

const scenarios: Scenario[] = [
  {
    name: '1. kill -9 a worker mid-jobs',
    async inject({ cluster }) {
      const worker = cluster.workers()[0];
      await cluster.kill(worker, 'SIGKILL');
      await sleep(2000);
      await cluster.start(worker);
      return `${worker.name} killed, restarted after 2 s`;
    },
  },
  {
    name: '2. every Redis key of the deployment deleted',
    async inject({ cluster }) {
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
      return `${deleted} keys deleted`;
    },
  },
  {
    name: '3. Redis restarted (no persistence)',
    async inject({ cluster }) {
      await cluster.redis.stop();
      await sleep(1500);
      await cluster.redis.start();
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
    async inject({ cluster }) {
      const api = cluster.apis()[0];
      await cluster.kill(api, 'SIGKILL');
      await sleep(1500);
      await cluster.start(api);
      return `${api.name} killed, restarted after 1.5 s`;
    },
  },
  {
    name: '6. jobs delivered twice; moderator races the worker',
    async inject({ cluster, load }) {
      const ids = [...load.ledger.keys()].slice(-60);
      const connection = { url: cluster.redis.url };
      const queues = ['spam', 'moderation'].map(
        (name) => new Queue(name, { connection, prefix: cluster.prefix }),
      );
      for (const id of ids) {
        for (const queue of queues) {
          await queue.add(queue.name, { commentId: id }, { jobId: `${id}-again` });
        }
      }
      await Promise.all(queues.map((q) => q.close()));
      // Fresh comments on the pre-moderated site: decide them while the worker is on them.
      const api = cluster.apis().find((p) => p.child !== null)!;
      let raced = 0;
      for (let i = 0; i < 15; i++) {
        const res = await fetch(`${api.url}/v1/sites/${SITES.pre}/articles/race/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.9.${i}` },
          body: JSON.stringify({
            name: 'Racer',
            email: `racer${i}@example.org`,
            body: `race ${i}`,
          }),
        });
        if (res.status !== 202) continue;
        const { id } = (await res.json()) as { id: string };
        load.ledger.set(id, { id, siteId: SITES.pre, articleId: 'race' });
        await Promise.all([
          load.decide(api, id, 'approve').catch(() => null),
          load.decide(api, id, 'reject').catch(() => null),
          until(async () => (await load.decide(api, id, 'approve')) !== null, 5000, 20),
        ]);
        raced++;
      }
      return `${ids.length * 2} duplicate jobs, ${raced} races`;
    },
  },
  {
    name: '7. a slow and an always-failing webhook',
    async inject({ cluster, receivers }) {
      const api = cluster.apis().find((p) => p.child !== null)!;
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
        if (res.status !== 201) throw new Error(`webhook registration answered ${res.status}`);
      }
      await sleep(LOAD_MS / 2);
      return `receivers hit ${receivers.slowHits} (slow) / ${receivers.failingHits} (500)`;
    },
  },
  {
    name: '8. SIGTERM during load (graceful)',
    async inject({ cluster }) {
      const api = cluster.apis()[1];
      const worker = cluster.workers()[1];
      const [apiMs, workerMs] = await Promise.all([
        cluster.kill(api, 'SIGTERM'),
        cluster.kill(worker, 'SIGTERM'),
      ]);
      await Promise.all([cluster.start(api), cluster.start(worker)]);
      return `api drained in ${apiMs} ms, worker in ${workerMs} ms`;
    },
  },
];

async function receivers(): Promise<Receivers> {
  const r = { slowHits: 0, failingHits: 0 } as Receivers;
  r.slow = createServer((req, res) => {
    r.slowHits++;
    req.resume();
    setTimeout(() => res.writeHead(200).end(), 4000);
  });
  r.failing = createServer((req, res) => {
    r.failingHits++;
    req.resume();
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
    TRUST_PROXY: 'loopback',
    PENDING_SWEEP_AFTER_S: '3',
    SWEEP_INTERVAL_MS: '500',
    EVENTS_RELAY_POLL_MS: '200',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_TIMEOUT_MS: '2000',
    WORKER_CONCURRENCY: '8',
  });
  const hooks = await receivers();
  const rows: Row[] = [];
  let exitCode = 0;
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
    const ctx: Context = { cluster, load, receivers: hooks };

    const only = process.env.CHAOS_ONLY?.split(',').map(Number);
    for (const scenario of scenarios.filter((_, i) => !only || only.includes(i + 1))) {
      process.stdout.write(`${scenario.name}… `);
      await load.refreshParents();
      load.start(RATE);
      await sleep(LOAD_MS / 2);
      const note = await scenario.inject(ctx);
      await sleep(LOAD_MS / 2);
      const stats = await load.stop();
      const findings = await verify(cluster, load, SETTLE_DEADLINE_MS);
      rows.push({ scenario: scenario.name, note, stats, findings });
      process.stdout.write(
        `${failed(findings) ? 'FAILED' : 'ok'} (${findings.settleMs} ms to settle)\n`,
      );
      if (failed(findings)) {
        exitCode = 1;
        process.stdout.write(`${JSON.stringify(findings.stuck ?? [], null, 1).slice(0, 4000)}\n`);
      }
    }
  } catch (error) {
    exitCode = 1;
    process.stderr.write(`Chaos run aborted: ${(error as Error).stack}\n`);
    for (const [name, log] of cluster.logs)
      process.stderr.write(`--- ${name}\n${log.join('').slice(-3000)}\n`);
  } finally {
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
    'fault',
    'sent',
    '202',
    '4xx',
    '5xx',
    'net err',
    'decisions',
    'settle ms',
    'missing',
    'not final',
    'dup in thread',
    'count off',
    'events off',
    'stream dup',
    'stream order',
    'unrelayed',
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
        s.clientErrors,
        s.serverErrors,
        s.networkErrors,
        s.decisions,
        f.settleMs,
        f.missing,
        f.notFinal,
        f.duplicatesInThreads,
        f.countMismatches,
        f.eventMismatches,
        f.streamDuplicates,
        f.streamOutOfOrder,
        f.unrelayed,
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
