import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PreparedQueries } from '../../database/prepared-queries.js';

/** Counter shards per comment and reaction type (see CommentReactionCountEntity). */
export const REACTION_SHARDS = 16;

export type ReactionType = 'like';

export interface ReactionOutcome {
  /** The comment exists and is approved (else nothing changed). */
  found: boolean;
  /** This call added or removed the reader's reaction (false: it already was as asked). */
  changed: boolean;
  siteId: string | null;
  articleId: string | null;
  /** The comment's count of this reaction afterwards. */
  count: number;
}

interface OutcomeRow {
  siteId: string | null;
  articleId: string | null;
  changed: number;
  count: number;
}

/**
 * Every query on `comment_reactions` and `comment_reaction_counts`. A reaction and its counter
 * change in one statement (one transaction): the reaction row's primary key makes a repeat
 * change nothing, and the counter is `n + 1` / `n - 1` on the reader's shard, which
 * PostgreSQL applies to the latest row version under its row lock, so concurrent likes never
 * lose an update, and likes of one comment from different readers mostly touch different rows.
 */
@Injectable()
export class ReactionsRepository {
  private readonly prepared: PreparedQueries;

  constructor(@InjectDataSource() db: DataSource) {
    this.prepared = new PreparedQueries(db);
  }

  /** The site of an approved comment (whose identity settings name the reader), or null. */
  async siteOf(commentId: string): Promise<string | null> {
    const rows: Array<{ siteId: string }> = await this.prepared.query(
      `SELECT site_id AS "siteId" FROM comments WHERE id = $1 AND status = 'approved'`,
      [commentId],
    );
    return rows[0]?.siteId ?? null;
  }

  async add(commentId: string, type: ReactionType, reader: Buffer): Promise<ReactionOutcome> {
    const rows: OutcomeRow[] = await this.prepared.query(
      `WITH target AS (
         SELECT id, site_id, article_id FROM comments WHERE id = $1 AND status = 'approved'
       ), added AS (
         INSERT INTO comment_reactions (comment_id, type, reader)
         SELECT id, $2, $3 FROM target
         ON CONFLICT DO NOTHING
         RETURNING comment_id
       ), counted AS (
         INSERT INTO comment_reaction_counts (comment_id, type, shard, n)
         SELECT comment_id, $2, $4, 1 FROM added
         ON CONFLICT (comment_id, type, shard)
           DO UPDATE SET n = comment_reaction_counts.n + 1
         RETURNING 1
       )
       SELECT t.site_id AS "siteId", t.article_id AS "articleId",
              (SELECT count(*) FROM counted)::int AS changed,
              (COALESCE((SELECT sum(n) FROM comment_reaction_counts
                         WHERE comment_id = $1 AND type = $2), 0)
               + (SELECT count(*) FROM counted))::int AS count
       FROM (SELECT 1) one LEFT JOIN target t ON true`,
      [commentId, type, reader, shardOf(reader)],
    );
    return outcome(rows[0]);
  }

  async remove(commentId: string, type: ReactionType, reader: Buffer): Promise<ReactionOutcome> {
    const rows: OutcomeRow[] = await this.prepared.query(
      `WITH target AS (
         SELECT id, site_id, article_id FROM comments WHERE id = $1 AND status = 'approved'
       ), removed AS (
         DELETE FROM comment_reactions r USING target
         WHERE r.comment_id = target.id AND r.type = $2 AND r.reader = $3
         RETURNING r.comment_id
       ), counted AS (
         UPDATE comment_reaction_counts c SET n = c.n - 1
         FROM removed
         WHERE c.comment_id = removed.comment_id AND c.type = $2 AND c.shard = $4
         RETURNING 1
       )
       SELECT t.site_id AS "siteId", t.article_id AS "articleId",
              (SELECT count(*) FROM counted)::int AS changed,
              (COALESCE((SELECT sum(n) FROM comment_reaction_counts
                         WHERE comment_id = $1 AND type = $2), 0)
               - (SELECT count(*) FROM counted))::int AS count
       FROM (SELECT 1) one LEFT JOIN target t ON true`,
      [commentId, type, reader, shardOf(reader)],
    );
    return outcome(rows[0]);
  }
}

/** The reader's shard: fixed per reader, so a take-back decrements the shard its like bumped. */
export function shardOf(reader: Buffer): number {
  // The last byte: the first is the key's kind (`a` address, `s` SSO subject).
  return (reader[reader.length - 1] ?? 0) % REACTION_SHARDS;
}

function outcome(row: OutcomeRow | undefined): ReactionOutcome {
  return {
    found: Boolean(row?.siteId),
    changed: (row?.changed ?? 0) > 0,
    siteId: row?.siteId ?? null,
    articleId: row?.articleId ?? null,
    count: Math.max(0, row?.count ?? 0),
  };
}
