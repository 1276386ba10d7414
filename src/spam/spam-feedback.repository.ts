import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { FeedbackLabel } from './classifier/spam-model.types.js';

export interface FeedbackRow {
  label: FeedbackLabel;
  features: number[];
  /** The site whose moderator taught it; null for a lesson of a comment long gone. */
  siteId: string | null;
}

@Injectable()
export class SpamFeedbackRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One row per comment: a later decision on the same comment replaces the earlier one. */
  async upsert(
    manager: EntityManager,
    row: {
      commentId: string;
      siteId: string;
      label: FeedbackLabel;
      featureSpace: string;
      features: readonly number[];
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO spam_feedback (comment_id, label, feature_space, features, site_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (comment_id) DO UPDATE SET label = EXCLUDED.label,
         feature_space = EXCLUDED.feature_space, features = EXCLUDED.features,
         site_id = EXCLUDED.site_id, updated_at = now()`,
      [row.commentId, row.label, row.featureSpace, row.features, row.siteId],
    );
  }

  findAll(featureSpace: string): Promise<FeedbackRow[]> {
    return this.db.query(
      `SELECT label, features, site_id AS "siteId" FROM spam_feedback WHERE feature_space = $1`,
      [featureSpace],
    );
  }

  /** Privacy erase: lessons hold hashed words of the subject's comments; they go too. */
  async deleteForComments(tx: EntityManager, commentIds: string[]): Promise<void> {
    await tx.query(`DELETE FROM spam_feedback WHERE comment_id = ANY($1::uuid[])`, [commentIds]);
  }
}
