// The invariants every scenario must leave intact (DESIGN.md, "Invariants").
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Cluster } from './cluster.js';
import { until } from './cluster.js';
import type { Load } from './load.js';

export interface Findings {
  /** Ledger ids (202s) not in PostgreSQL. */
  missing: number;
  /** Ledger ids still `pending` after the deadline. */
  notFinal: number;
  /** Comments shown twice in a thread (all pages of every article read). */
  duplicatesInThreads: number;
  /** Articles whose approved_count differs from their approved comments. */
  countMismatches: number;
  /** Comments whose events do not match their status changes one for one. */
  eventMismatches: number;
  /** CloudEvent ids relayed to the stream more than once; out-of-order entries. */
  streamDuplicates: number;
  streamOutOfOrder: number;
  /** Outbox rows not relayed after the deadline. */
  unrelayed: number;
  /** How long the system took to settle, ms. */
  settleMs: number;
  /** For a failed check: what the stuck comments look like. */
  stuck?: unknown[];
}

export function failed(f: Findings): boolean {
  return (
    f.missing +
      f.notFinal +
      f.duplicatesInThreads +
      f.countMismatches +
      f.eventMismatches +
      f.streamDuplicates +
      f.streamOutOfOrder +
      f.unrelayed >
    0
  );
}

export async function verify(cluster: Cluster, load: Load, deadlineMs: number): Promise<Findings> {
  const started = Date.now();
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  const redis = new Redis(cluster.redis.url, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  try {
    const ids = [...load.ledger.keys()];
    const settled = await until(
      async () => {
        const { rows } = await db.query<{ pending: number; unrelayed: number }>(
          `SELECT (SELECT count(*)::int FROM comments WHERE id = ANY($1::uuid[]) AND status = 'pending') AS pending,
                (SELECT count(*)::int FROM outbox_events WHERE relayed_at IS NULL) AS unrelayed`,
          [ids],
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

    let duplicatesInThreads = 0;
    const api = cluster.apis().find((p) => p.child !== null);
    const articles = new Set([...load.ledger.values()].map((a) => `${a.siteId}/${a.articleId}`));
    for (const key of articles) {
      const [siteId, articleId] = key.split('/');
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const res: Response = await fetch(
          `${api!.url}/v1/sites/${siteId}/articles/${articleId}/comments?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        );
        const page = (await res.json()) as {
          comments: Array<{ id: string }>;
          nextCursor: string | null;
        };
        for (const c of page.comments) {
          if (seen.has(c.id)) duplicatesInThreads++;
          seen.add(c.id);
        }
        cursor = page.nextCursor;
      } while (cursor);
    }

    let streamDuplicates = 0;
    let streamOutOfOrder = 0;
    const eventIds = new Set<string>();
    let last = 0n;
    let start = '-';
    for (;;) {
      const entries = await redis.xrange(`${cluster.prefix}:events`, start, '+', 'COUNT', 1000);
      for (const [entryId, fields] of entries) {
        const json = fields[fields.indexOf('event') + 1] ?? '{}';
        const event = JSON.parse(json) as { id: string; sequence: string };
        if (eventIds.has(event.id)) streamDuplicates++;
        eventIds.add(event.id);
        const seq = BigInt(event.sequence);
        if (seq <= last || entryId !== `${event.sequence}-0`) streamOutOfOrder++;
        last = seq;
      }
      if (entries.length < 1000) break;
      start = `(${entries.at(-1)![0]}`;
    }

    return {
      missing: ids.length - present.rows[0].n,
      notFinal: present.rows[0].pending,
      duplicatesInThreads,
      countMismatches: counts.rows[0].n,
      eventMismatches: events.rows[0].n,
      streamDuplicates,
      streamOutOfOrder,
      unrelayed: unrelayed.rows[0].n,
      settleMs,
    };
  } finally {
    redis.disconnect();
    await db.end();
  }
}
