import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { affectedRows } from '../database/affected-rows.js';
import type { FlagReason } from './comment-flag.entity.js';

type Db = Pick<EntityManager, 'query'>;

/** Open flags of one comment: how many, and how many per reason. */
export interface FlagSummary {
  count: number;
  reasons: Partial<Record<FlagReason, number>>;
}

export interface NewFlag {
  commentId: string;
  siteId: string;
  readerKey: Buffer | null;
  reason: FlagReason;
  detail: string | null;
  emailCiphertext: Buffer | null;
  emailKeyId: string | null;
  emailIndex: Buffer | null;
}

/** Every query on `comment_flags`. */
@Injectable()
export class FlagsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Inserts the flag unless this reader already flagged the comment; either way, its id. */
  async insert(db: Db, flag: NewFlag): Promise<{ id: string; created: boolean }> {
    const rows: Array<{ id: string }> = await db.query(
      `INSERT INTO comment_flags (comment_id, site_id, reader_key, reason, detail,
         email_ciphertext, email_key_id, email_index)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (comment_id, reader_key) DO NOTHING RETURNING id`,
      [
        flag.commentId,
        flag.siteId,
        flag.readerKey,
        flag.reason,
        flag.detail,
        flag.emailCiphertext,
        flag.emailKeyId,
        flag.emailIndex,
      ],
    );
    if (rows[0]) return { id: rows[0].id, created: true };
    const existing: Array<{ id: string }> = await db.query(
      `SELECT id FROM comment_flags WHERE comment_id = $1 AND reader_key = $2`,
      [flag.commentId, flag.readerKey],
    );
    return { id: existing[0].id, created: false };
  }

  /** Open flags per comment (comments without any are left out). */
  async summaries(commentIds: string[], db: Db = this.db): Promise<Map<string, FlagSummary>> {
    const out = new Map<string, FlagSummary>();
    if (commentIds.length === 0) return out;
    const rows: Array<{ commentId: string; reason: FlagReason; n: number }> = await db.query(
      `SELECT comment_id AS "commentId", reason, count(*)::int AS n FROM comment_flags
       WHERE comment_id = ANY($1::uuid[]) AND status = 'open' GROUP BY 1, 2`,
      [commentIds],
    );
    for (const row of rows) {
      const summary = out.get(row.commentId) ?? { count: 0, reasons: {} };
      summary.count += row.n;
      summary.reasons[row.reason] = row.n;
      out.set(row.commentId, summary);
    }
    return out;
  }

  /** Closes every open flag of a comment; how many were open. */
  async resolveOpen(db: Db, commentId: string, status: 'dismissed' | 'actioned'): Promise<number> {
    const result: unknown = await db.query(
      `UPDATE comment_flags SET status = $2, resolved_at = now()
       WHERE comment_id = $1 AND status = 'open'`,
      [commentId, status],
    );
    return affectedRows(result);
  }

  /** Transparency: flags received in the period, by reason, and how many led to removal. */
  async counts(
    siteIds: string[] | null,
    from: Date,
    to: Date,
  ): Promise<{ received: number; byReason: Record<string, number>; actioned: number }> {
    const rows: Array<{ reason: string; n: number; actioned: number }> = await this.db.query(
      `SELECT reason, count(*)::int AS n,
              count(*) FILTER (WHERE status = 'actioned')::int AS actioned
       FROM comment_flags
       WHERE created_at >= $1 AND created_at < $2
         AND ($3::varchar[] IS NULL OR site_id = ANY($3::varchar[]))
       GROUP BY reason`,
      [from, to, siteIds],
    );
    return {
      received: rows.reduce((sum, r) => sum + r.n, 0),
      byReason: Object.fromEntries(rows.map((r) => [r.reason, r.n])),
      actioned: rows.reduce((sum, r) => sum + r.actioned, 0),
    };
  }

  /**
   * Retention: closed flags of a site older than `before` lose who sent them (reader key and
   * contact address); the flag itself stays for the transparency figures.
   */
  async forgetReporters(siteId: string, before: Date): Promise<number> {
    const result: unknown = await this.db.query(
      `UPDATE comment_flags SET reader_key = NULL, email_ciphertext = NULL, email_key_id = NULL,
         email_index = NULL
       WHERE site_id = $1 AND status <> 'open' AND resolved_at < $2
         AND (reader_key IS NOT NULL OR email_ciphertext IS NOT NULL)`,
      [siteId, before],
    );
    return affectedRows(result);
  }

  /** Privacy erase: the address as a flag's contact is forgotten (the flag stays). */
  async forgetContacts(tx: Db, emailIndexes: Buffer[]): Promise<number> {
    const result: unknown = await tx.query(
      `UPDATE comment_flags SET email_ciphertext = NULL, email_key_id = NULL, email_index = NULL
       WHERE email_index = ANY($1::bytea[])`,
      [emailIndexes],
    );
    return affectedRows(result);
  }
}
