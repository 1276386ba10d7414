import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { affectedRows } from '../database/affected-rows.js';
import type { AppealStatus } from './appeal.entity.js';

type Db = Pick<EntityManager, 'query'>;

export interface AppealRow {
  id: string;
  commentId: string;
  siteId: string;
  decisionId: string;
  message: string;
  status: AppealStatus;
  createdAt: Date;
  decidedAt: Date | null;
}

const APPEAL = `id, comment_id AS "commentId", site_id AS "siteId", decision_id::text AS "decisionId",
  message, status, created_at AS "createdAt", decided_at AS "decidedAt"`;

/** Every query on `appeals`. */
@Injectable()
export class AppealsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The appeal, or null when this decision was already appealed (once per decision). */
  async insert(input: {
    commentId: string;
    siteId: string;
    decisionId: string;
    message: string;
  }): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.db.query(
      `INSERT INTO appeals (comment_id, site_id, decision_id, message) VALUES ($1, $2, $3, $4)
       ON CONFLICT (decision_id) DO NOTHING RETURNING id`,
      [input.commentId, input.siteId, input.decisionId, input.message],
    );
    return rows[0]?.id ?? null;
  }

  async findByDecision(decisionId: string): Promise<AppealRow | null> {
    const rows: AppealRow[] = await this.db.query(
      `SELECT ${APPEAL} FROM appeals WHERE decision_id = $1`,
      [decisionId],
    );
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<AppealRow | null> {
    const rows: AppealRow[] = await this.db.query(`SELECT ${APPEAL} FROM appeals WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  /** Oldest first, keyset on (created_at, id). */
  list(filter: {
    siteIds: string[] | null;
    status: AppealStatus;
    after?: { createdAt: string; id: string };
    limit: number;
  }): Promise<AppealRow[]> {
    return this.db.query(
      `SELECT ${APPEAL} FROM appeals
       WHERE status = $1 AND ($2::varchar[] IS NULL OR site_id = ANY($2::varchar[]))
         AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::uuid))
       ORDER BY created_at, id LIMIT $5`,
      [
        filter.status,
        filter.siteIds,
        filter.after?.createdAt ?? null,
        filter.after?.id ?? null,
        filter.limit,
      ],
    );
  }

  /** Closes an open appeal (compare-and-set): false when it was already decided. */
  async decide(
    db: Db,
    input: { id: string; status: 'upheld' | 'reversed'; actor: string; reason: string | null },
  ): Promise<boolean> {
    const rows: unknown[] = await db.query(
      `UPDATE appeals SET status = $2, decided_at = now(), decided_by = $3, reason = $4
       WHERE id = $1 AND status = 'open' RETURNING 1`,
      [input.id, input.status, input.actor, input.reason],
    );
    return affectedRows(rows) > 0;
  }

  async counts(
    siteIds: string[] | null,
    from: Date,
    to: Date,
  ): Promise<{ received: number; upheld: number; reversed: number }> {
    const rows: Array<{ received: number; upheld: number; reversed: number }> = await this.db.query(
      `SELECT count(*)::int AS received,
              count(*) FILTER (WHERE status = 'upheld')::int AS upheld,
              count(*) FILTER (WHERE status = 'reversed')::int AS reversed
       FROM appeals WHERE created_at >= $1 AND created_at < $2
         AND ($3::varchar[] IS NULL OR site_id = ANY($3::varchar[]))`,
      [from, to, siteIds],
    );
    return rows[0] ?? { received: 0, upheld: 0, reversed: 0 };
  }

  /** Privacy erase: the author's appeal texts about these comments. */
  async clearMessages(tx: Db, commentIds: string[]): Promise<void> {
    await tx.query(`UPDATE appeals SET message = '' WHERE comment_id = ANY($1::uuid[])`, [
      commentIds,
    ]);
  }
}
