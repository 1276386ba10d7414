// The invariants every scenario must leave intact (docs/architecture.md, "Invariants").
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Cluster } from './cluster.js';
import { sleep, until } from './cluster.js';
import { EMAIL_DOMAIN, type Load } from './load.js';

export interface Findings {
  /** Ledger ids (202s) not in PostgreSQL. */
  missing: number;
  /** Ledger ids still `pending` after the deadline. */
  notFinal: number;
  /**
   * Ledger ids whose history is not one path to one final state: not exactly one move out
   * of `pending`, a move that does not start where the previous one ended, or a last move
   * that does not end in the stored status.
   */
  brokenHistory: number;
  /** Comments shown twice in a thread (all pages of every article read). */
  duplicatesInThreads: number;
  /** Approved ledger comments absent from their thread; non-approved ones shown in full. */
  missingFromThread: number;
  unapprovedInThread: number;
  /**
   * Articles whose approved_count, public count (`GET …/counts`) or thread `count` differs
   * from the number of their approved comments.
   */
  countMismatches: number;
  /** Comments whose events do not match their status changes one for one. */
  eventMismatches: number;
  /** CloudEvent ids a stream consumer saw twice (across Redis wipes too); out-of-order entries. */
  streamDuplicates: number;
  streamOutOfOrder: number;
  /** Outbox rows not relayed after the deadline. */
  unrelayed: number;
  /** Places a reader's email turned up: Redis keys/values, the stream, logs, webhook bodies. */
  emailLeaks: number;
  /** Scenario-specific checks that failed (e.g. a request lost during a graceful shutdown). */
  scenarioFailures: number;
  /** How long the system took to settle, ms. */
  settleMs: number;
  /** For a failed check: what went wrong. */
  details?: unknown[];
}

export function failed(f: Findings): boolean {
  return (
    f.missing +
      f.notFinal +
      f.brokenHistory +
      f.duplicatesInThreads +
      f.missingFromThread +
      f.unapprovedInThread +
      f.countMismatches +
      f.eventMismatches +
      f.streamDuplicates +
      f.streamOutOfOrder +
      f.unrelayed +
      f.emailLeaks +
      f.scenarioFailures >
    0
  );
}

/** Does `text` hold one of the readers' addresses? (Every address the load uses is on one domain.) */
export function hasEmail(text: string): boolean {
  return text.toLowerCase().includes(EMAIL_DOMAIN);
}

/**
 * A consumer of the Redis event stream for the whole run, as another service would read it:
 * every entry once, in order, remembering every CloudEvent id it was given. When the harness
 * wipes or restarts Redis it pauses the watcher, then resumes it at the start of the new
 * stream, so an event relayed again after the wipe is seen, and counted, as a duplicate.
 */
export class StreamWatcher {
  private readonly redis: Redis;
  private readonly seen = new Set<string>();
  private cursor = '-';
  private last = 0n;
  private paused = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private busy: Promise<void> = Promise.resolve();
  duplicates = 0;
  outOfOrder = 0;
  emailLeaks = 0;
  entries = 0;
  readonly details: string[] = [];

  constructor(
    private readonly cluster: Cluster,
    private readonly key = `${cluster.prefix}:events`,
  ) {
    this.redis = new Redis(cluster.redis.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    this.redis.on('error', () => undefined);
  }

  start(): void {
    // The PostgreSQL transport has no Redis Stream: nothing to watch (always zero findings).
    if (this.cluster.transport === 'postgres') return;
    this.loop = (async () => {
      while (!this.stopped) {
        if (!this.paused) await this.poll().catch(() => undefined);
        await sleep(250);
      }
    })();
  }

  /** Reads everything up to the stream's current end. */
  async catchUp(): Promise<void> {
    await this.poll();
  }

  /** Stops reading (after a last catch-up) until resume(): the stream is about to vanish. */
  async pause(): Promise<void> {
    await this.catchUp().catch(() => undefined);
    this.paused = true;
    await this.busy;
  }

  /** Reads again from the start of the stream, which is a new one (Redis lost the old). */
  resume(): void {
    this.cursor = '-';
    this.last = 0n;
    this.paused = false;
  }

  /** What it found since the last call (one scenario's share). */
  take(): { duplicates: number; outOfOrder: number; emailLeaks: number; details: string[] } {
    const taken = {
      duplicates: this.duplicates,
      outOfOrder: this.outOfOrder,
      emailLeaks: this.emailLeaks,
      details: this.details.splice(0),
    };
    this.duplicates = this.outOfOrder = this.emailLeaks = 0;
    return taken;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    this.redis.disconnect();
  }

  private poll(): Promise<void> {
    const run = this.busy.then(async () => {
      if (this.paused || this.cluster.transport === 'postgres') return;
      for (;;) {
        const entries = await this.redis.xrange(this.key, this.cursor, '+', 'COUNT', 500);
        for (const [entryId, fields] of entries) {
          const json = fields[fields.indexOf('event') + 1] ?? '{}';
          this.entries++;
          if (hasEmail(json)) {
            this.emailLeaks++;
            this.details.push(`email in stream entry ${entryId}`);
          }
          const event = JSON.parse(json) as { id: string; sequence: string };
          if (this.seen.has(event.id)) {
            this.duplicates++;
            this.details.push(`event ${event.id} (entry ${entryId}) relayed again`);
          }
          this.seen.add(event.id);
          const seq = BigInt(event.sequence);
          // The entry id is the plain number; the event's `sequence` is zero-padded (docs/events.md).
          if (seq <= this.last || entryId !== `${seq}-0`) this.outOfOrder++;
          this.last = seq;
          this.cursor = `(${entryId}`;
        }
        if (entries.length < 500) return;
      }
    });
    this.busy = run.catch(() => undefined);
    return run;
  }
}

/** The PostgreSQL transport's queued jobs, counters and pub/sub messages, searched for emails. */
async function postgresTransportLeaks(db: pg.Client): Promise<string[]> {
  const { rows } = await db.query<{ place: string; text: string }>(
    `SELECT 'job ' || queue || '/' || id AS place, data::text || opts::text AS text FROM bullmq.job
     UNION ALL SELECT 'counter', key FROM transport_counters
     UNION ALL SELECT 'pub/sub message', payload FROM transport_messages`,
  );
  return rows.filter((row) => hasEmail(row.text)).map((row) => `email in ${row.place}`);
}

/** Every key and value of the deployment in Redis (the event stream is the watcher's). */
async function redisLeaks(redis: Redis, prefix: string, skip: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      if (key === skip) continue;
      const type = await redis.type(key);
      let value: unknown = null;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hgetall(key);
      else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else if (type === 'set') value = await redis.smembers(key);
      else if (type === 'zset') value = await redis.zrange(key, 0, -1);
      else if (type === 'stream') value = await redis.xrange(key, '-', '+', 'COUNT', 10_000);
      if (hasEmail(key) || hasEmail(JSON.stringify(value))) found.push(`email in Redis key ${key}`);
    }
  } while (cursor !== '0');
  return found;
}

export interface VerifyExtras {
  watcher: StreamWatcher;
  /** Webhook bodies the harness's receivers got. */
  webhookBodies: () => string[];
  /** Problems the scenario itself found (e.g. requests lost in a graceful shutdown). */
  scenarioFailures: string[];
}

export async function verify(
  cluster: Cluster,
  load: Load,
  deadlineMs: number,
  extras: VerifyExtras,
): Promise<Findings> {
  const started = Date.now();
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  const redis = new Redis(cluster.redis.url, { maxRetriesPerRequest: 3, lazyConnect: true });
  redis.on('error', () => undefined);
  const details: unknown[] = [...extras.scenarioFailures];
  try {
    const ids = [...load.ledger.keys()];
    const settled = await until(
      async () => {
        const { rows } = await db.query<{ pending: number; unrelayed: number }>(
          // Every comment, not only the ledger's: a fault can commit comments whose client
          // never got its 202 (an api killed after a group commit, the retry timed out); they
          // are decided later too, and would move the counts while the threads are read.
          `SELECT (SELECT count(*)::int FROM comments WHERE status = 'pending') AS pending,
                (SELECT count(*)::int FROM outbox_events WHERE relayed_at IS NULL) AS unrelayed`,
        );
        return rows[0].pending === 0 && rows[0].unrelayed === 0;
      },
      deadlineMs,
      250,
    );
    const settleMs = settled ? Date.now() - started : deadlineMs;

    const present = await db.query<{ n: number; pending: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'pending')::int AS pending
       FROM comments WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const unrelayed = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_events WHERE relayed_at IS NULL`,
    );
    // Exactly one final state: one move out of pending, each move from where the last one
    // ended, the last one ending in the stored status.
    const history = await db.query<{ id: string; status: string; moves: string }>(
      `WITH m AS (
         SELECT comment_id, from_status, to_status,
                lag(to_status) OVER w AS prev, row_number() OVER w AS n,
                count(*) OVER (PARTITION BY comment_id) AS total
         FROM moderation_actions WHERE comment_id = ANY($1::uuid[])
         WINDOW w AS (PARTITION BY comment_id ORDER BY id))
       SELECT c.id, c.status,
              coalesce(string_agg(m.from_status || '>' || m.to_status, ' ' ORDER BY m.n), '') AS moves
       FROM comments c LEFT JOIN m ON m.comment_id = c.id
       WHERE c.id = ANY($1::uuid[]) AND c.status <> 'pending'
       GROUP BY c.id, c.status
       HAVING count(m.comment_id) FILTER (WHERE m.from_status = 'pending') <> 1
           OR bool_or(m.n = 1 AND m.from_status <> 'pending')
           OR bool_or(m.prev IS NOT NULL AND m.from_status <> m.prev)
           OR NOT coalesce(bool_or(m.n = m.total AND m.to_status = c.status), false)`,
      [ids],
    );
    details.push(...history.rows.slice(0, 10).map((r) => ({ brokenHistory: r })));
    const counts = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM articles a
       WHERE a.approved_count <> (SELECT count(*) FROM comments c
         WHERE c.site_id = a.site_id AND c.article_id = a.article_id AND c.status = 'approved')`,
    );
    // One event per status change plus comment.submitted: nothing emitted twice or lost.
    const events = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM comments c
       WHERE (SELECT count(*) FROM outbox_events o WHERE o.subject = 'comments/' || c.id)
          <> 1 + (SELECT count(*) FROM moderation_actions m WHERE m.comment_id = c.id)`,
    );

    // What readers see: every thread read to its end, and the public counts.
    const statuses = new Map(
      (
        await db.query<{ id: string; status: string }>(
          `SELECT id, status FROM comments WHERE id = ANY($1::uuid[])`,
          [ids],
        )
      ).rows.map((r) => [r.id, r.status]),
    );
    const approvedBy = new Map<string, number>(
      (
        await db.query<{ key: string; n: number }>(
          `SELECT site_id || '/' || article_id AS key, count(*) FILTER (WHERE status = 'approved')::int AS n
           FROM comments GROUP BY 1`,
        )
      ).rows.map((r) => [r.key, r.n]),
    );
    let duplicatesInThreads = 0;
    let missingFromThread = 0;
    let unapprovedInThread = 0;
    let countMismatches = counts.rows[0].n;
    const api = cluster.apis().find((p) => p.child !== null && !p.draining)!;
    const articles = new Map<string, string[]>();
    for (const a of load.ledger.values()) {
      const key = `${a.siteId}/${a.articleId}`;
      articles.set(key, [...(articles.get(key) ?? []), a.id]);
    }
    for (const [key, ledgerIds] of articles) {
      const [siteId, articleId] = key.split('/');
      const expected = approvedBy.get(key) ?? 0;
      // The cached thread and counts follow the relay's invalidations: allow them a moment.
      lastTry.set(key, { dups: 0, absent: 0, wrong: 0, countOff: 1, seen: 'never read' });
      const ok = await until(
        async () => {
          try {
            return await readArticle();
          } catch (error) {
            lastTry.set(key, {
              dups: 0,
              absent: 0,
              wrong: 0,
              countOff: 1,
              seen: `read failed: ${(error as Error).message}`,
            });
            return null;
          }
        },
        10_000,
        500,
      );
      async function readArticle() {
        {
          const seen = new Set<string>();
          let shown = 0;
          let dups = 0;
          let threadCount = -1;
          const wrong: string[] = [];
          let cursor: string | null = null;
          do {
            const res: Response = await fetch(
              `${api.url}/v1/sites/${siteId}/articles/${articleId}/comments?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
            );
            if (!res.ok) throw new Error(`thread answered ${res.status}: ${await res.text()}`);
            const page = (await res.json()) as {
              comments: Array<{ id: string; deleted?: boolean }>;
              nextCursor: string | null;
              count: number;
            };
            if (threadCount < 0) threadCount = page.count;
            for (const c of page.comments) {
              if (seen.has(c.id)) dups++;
              seen.add(c.id);
              if (c.deleted) continue;
              shown++;
              const status = statuses.get(c.id);
              if (status !== undefined && status !== 'approved') wrong.push(c.id);
            }
            cursor = page.nextCursor;
          } while (cursor);
          const absent = ledgerIds.filter((id) => statuses.get(id) === 'approved' && !seen.has(id));
          const countsRes = await fetch(
            `${api.url}/v1/sites/${siteId}/counts?articles=${encodeURIComponent(articleId)}`,
          );
          if (!countsRes.ok) throw new Error(`counts answered ${countsRes.status}`);
          const publicCount = ((await countsRes.json()) as { counts: Record<string, number> })
            .counts[articleId];
          const result = {
            dups,
            absent: absent.length,
            wrong: wrong.length,
            countOff: [publicCount, threadCount, shown].filter((n) => n !== expected).length,
            seen: { publicCount, threadCount, shown, expected },
          };
          return result.dups + result.absent + result.wrong + result.countOff === 0
            ? result
            : (lastTry.set(key, result), null);
        }
      }
      if (ok) continue;
      const r = lastTry.get(key)!;
      duplicatesInThreads += r.dups;
      missingFromThread += r.absent;
      unapprovedInThread += r.wrong;
      if (r.countOff) countMismatches++;
      details.push({ article: key, ...r });
    }

    await extras.watcher.catchUp().catch(() => undefined);
    const stream = extras.watcher.take();
    const leaks = [
      ...(cluster.transport === 'redis'
        ? await redisLeaks(redis, cluster.prefix, `${cluster.prefix}:events`)
        : await postgresTransportLeaks(db)),
      ...[...cluster.logs]
        .filter(([, log]) => hasEmail(log.join('')))
        .map(([n]) => `email in ${n}'s log`),
      ...(extras.webhookBodies().some(hasEmail) ? ['email in a webhook body'] : []),
    ];
    details.push(...leaks, ...stream.details);

    return {
      missing: ids.length - present.rows[0].n,
      notFinal: present.rows[0].pending,
      brokenHistory: history.rows.length,
      duplicatesInThreads,
      missingFromThread,
      unapprovedInThread,
      countMismatches,
      eventMismatches: events.rows[0].n,
      streamDuplicates: stream.duplicates,
      streamOutOfOrder: stream.outOfOrder,
      unrelayed: unrelayed.rows[0].n,
      emailLeaks: leaks.length + stream.emailLeaks,
      scenarioFailures: extras.scenarioFailures.length,
      settleMs,
      details,
    };
  } finally {
    redis.disconnect();
    await db.end();
  }
}

const lastTry = new Map<
  string,
  { dups: number; absent: number; wrong: number; countOff: number; seen: unknown }
>();
