import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Retention's statements on comments (bulk: no per-comment events; one audit entry a run). */
@Injectable()
export class CommentsRetentionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Removes the client-address hashes of a site's comments created before `before`. */
  async clearIpIndexes(siteId: string, before: Date): Promise<number> {
    const [, n]: [unknown, number] = await this.db.query(
      `UPDATE comments SET ip_index = NULL
       WHERE site_id = $1 AND created_at < $2 AND ip_index IS NOT NULL`,
      [siteId, before],
    );
    return n;
  }

  /**
   * Deletes for good a site's rejected and spam comments decided before `before` (their audit
   * rows, flags, appeals and revisions go with them), except those that still hold up replies.
   */
  async deleteRejected(siteId: string, before: Date): Promise<number> {
    const [, n]: [unknown, number] = await this.db.query(
      `DELETE FROM comments c
       WHERE c.site_id = $1 AND c.status IN ('rejected', 'spam') AND c.updated_at < $2
         AND NOT EXISTS (SELECT 1 FROM comments d WHERE d.parent_id = c.id)`,
      [siteId, before],
    );
    return n;
  }

  /** Idempotency records are kept 24 hours: older keys and fingerprints are removed. */
  async releaseIdempotencyKeys(before: Date): Promise<number> {
    const [, n]: [unknown, number] = await this.db.query(
      `UPDATE comments SET idempotency_key = NULL, request_fingerprint = NULL
       WHERE created_at < $1 AND (idempotency_key IS NOT NULL OR request_fingerprint IS NOT NULL)`,
      [before],
    );
    return n;
  }
}
