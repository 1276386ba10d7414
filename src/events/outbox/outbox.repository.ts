import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  ERASE_EVENT_SQL,
  ERASED_REASON,
  neutralReasonsSql,
} from '../../comments/views/comment-projection.js';
import type { OutboxRow } from '../cloud-event.js';

/** An outbox row with where it belongs (for routing: webhooks by site, SSE by article). */
export interface StoredEvent extends OutboxRow {
  siteId: string;
  articleId: string | null;
}

/** Anything that runs SQL and returns rows: the relay's leased connection, for instance. */
export interface SqlClient {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * An event's public `sequence` is its `position` in the published log, which the (single,
 * leased) relay gives it when it first relays it. Insertion order (the `sequence` column) can
 * differ from commit order — a transaction holding 10 may commit after one holding 11 — so a
 * reader paging by insertion order could skip 10 for good; positions are only ever handed out
 * to committed rows, in increasing order, so `after=<position>` never skips anything, and no
 * writer waits on another to keep the log ordered.
 */
const EVENT_COLUMNS = `position::text AS sequence, event_id AS "eventId", type, source, subject,
  site_id AS "siteId", article_id AS "articleId", data, created_at AS "createdAt"`;

/** The outbox: written inside the causing transaction, read by the relay and the events API. */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Gives the oldest committed events without a place in the log the next positions (active
   * relay only, on its leased session: no two relays ever number at once).
   */
  async assignPositions(client: SqlClient, limit: number): Promise<void> {
    await client.query(
      `WITH waiting AS (
         SELECT sequence, row_number() OVER (ORDER BY sequence) AS n
         FROM (SELECT sequence FROM outbox_events WHERE position IS NULL
               ORDER BY sequence LIMIT $1) oldest),
       head AS (SELECT coalesce(max(position), 0) AS top FROM outbox_events)
       UPDATE outbox_events o SET position = head.top + waiting.n
       FROM waiting, head WHERE o.sequence = waiting.sequence`,
      [limit],
    );
  }

  /** The oldest positioned events not yet relayed, in log order. */
  findUnrelayed(client: SqlClient, limit: number): Promise<StoredEvent[]> {
    return client.query<StoredEvent>(
      `SELECT ${EVENT_COLUMNS} FROM outbox_events
       WHERE relayed_at IS NULL AND position IS NOT NULL ORDER BY position LIMIT $1`,
      [limit],
    );
  }

  async markRelayed(client: SqlClient, positions: string[]): Promise<void> {
    await client.query(
      `UPDATE outbox_events SET relayed_at = now()
       WHERE position = ANY($1::bigint[]) AND relayed_at IS NULL`,
      [positions],
    );
  }

  /**
   * A page of the event log after `after`, and the highest sequence visible in the same
   * snapshot (so a caller may move past events its filter skipped without missing any).
   */
  findPage(query: {
    after: string;
    limit: number;
    types: string[] | null;
    siteIds: string[] | null;
  }): Promise<{ events: StoredEvent[]; head: string | null }> {
    return this.db.transaction('REPEATABLE READ', async (manager) => {
      const events: StoredEvent[] = await manager.query(
        `SELECT ${EVENT_COLUMNS} FROM outbox_events
         WHERE position > $1::bigint
           AND ($2::text[] IS NULL OR type = ANY($2::text[]))
           AND ($3::text[] IS NULL OR site_id = ANY($3::text[]))
         ORDER BY position LIMIT $4`,
        [query.after, query.types, query.siteIds, query.limit],
      );
      const head = await this.headSequence(manager);
      return { events, head };
    });
  }

  /**
   * Approved events of one article after a sequence (live stream resume), oldest first — only
   * of comments that are approved now: what was taken down since is not replayed.
   */
  findApprovedForArticle(
    siteId: string,
    articleId: string,
    after: string,
    limit: number,
  ): Promise<StoredEvent[]> {
    return this.db.query(
      `SELECT ${EVENT_COLUMNS} FROM outbox_events
       WHERE type = 'comment.approved' AND site_id = $1 AND article_id = $2
         AND position > $3::bigint
         AND EXISTS (SELECT 1 FROM comments c
                     WHERE 'comments/' || c.id = outbox_events.subject AND c.status = 'approved')
       ORDER BY position LIMIT $4`,
      [siteId, articleId, after, limit],
    );
  }

  async findBySequence(sequence: string): Promise<StoredEvent | null> {
    const rows: StoredEvent[] = await this.db.query(
      `SELECT ${EVENT_COLUMNS} FROM outbox_events WHERE position = $1::bigint`,
      [sequence],
    );
    return rows[0] ?? null;
  }

  /** The highest position handed out, or null when the log is empty. */
  async headSequence(manager: Pick<EntityManager, 'query'> = this.db): Promise<string | null> {
    const rows: { head: string | null }[] = await manager.query(
      `SELECT max(position)::text AS head FROM outbox_events`,
    );
    return rows[0]?.head ?? null;
  }

  /** Retention: removes up to `batch` relayed events created before `cutoff`. */
  async deleteRelayedBefore(cutoff: Date, batch: number): Promise<number> {
    const result: unknown = await this.db.query(
      `DELETE FROM outbox_events WHERE sequence IN (
         SELECT sequence FROM outbox_events
         WHERE created_at < $1 AND relayed_at IS NOT NULL
         ORDER BY created_at LIMIT $2)`,
      [cutoff, batch],
    );
    return affected(result);
  }

  /**
   * Privacy erase: the events stored about these comments lose author and body (`deleted`),
   * and their reasons keep only their codes.
   */
  async eraseCommentEvents(tx: Pick<EntityManager, 'query'>, commentIds: string[]): Promise<void> {
    if (!commentIds.length) return;
    const subjects = commentIds.map((id) => `comments/${id}`);
    await tx.query(
      `UPDATE outbox_events SET data = ${ERASE_EVENT_SQL}
       WHERE subject = ANY($1::varchar[]) AND data ? 'comment'`,
      [subjects],
    );
    await tx.query(
      `UPDATE outbox_events SET data = jsonb_set(data, '{reasons}',
         ${neutralReasonsSql("data->'reasons'")})
       WHERE subject = ANY($1::varchar[]) AND jsonb_typeof(data->'reasons') = 'array'`,
      [subjects, ERASED_REASON],
    );
  }

  /** Where the events about these comments sit in the published log (stream entry ids). */
  async findCommentEventPositions(commentIds: string[]): Promise<string[]> {
    if (!commentIds.length) return [];
    const rows: Array<{ position: string }> = await this.db.query(
      `SELECT position::text AS position FROM outbox_events
       WHERE subject = ANY($1::varchar[]) AND position IS NOT NULL`,
      [commentIds.map((id) => `comments/${id}`)],
    );
    return rows.map((r) => r.position);
  }
}

/** TypeORM answers an UPDATE or DELETE with `[rows, affected]`. */
function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
