import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ToxicityLabel } from './classifier/toxicity-model.types.js';

export interface ToxicityFeedbackRow {
  label: ToxicityLabel;
  features: number[];
  /** The site whose moderator taught it; null for a lesson of a comment long gone. */
  siteId: string | null;
}

/** The `toxicity_feedback` table's only owner. */
@Injectable()
export class ToxicityFeedbackRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One row per comment: a later decision on the same comment replaces the earlier one. */
  async upsert(
    manager: EntityManager,
    row: {
      commentId: string;
      siteId: string;
      label: ToxicityLabel;
      featureSpace: string;
      features: readonly number[];
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO toxicity_feedback (comment_id, label, feature_space, features, site_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (comment_id) DO UPDATE SET label = EXCLUDED.label,
         feature_space = EXCLUDED.feature_space, features = EXCLUDED.features,
         site_id = EXCLUDED.site_id, updated_at = now()`,
      [row.commentId, row.label, row.featureSpace, row.features, row.siteId],
    );
  }

  findAll(featureSpace: string): Promise<ToxicityFeedbackRow[]> {
    return this.db.query(
      `SELECT label, features, site_id AS "siteId" FROM toxicity_feedback
       WHERE feature_space = $1 ORDER BY comment_id`,
      [featureSpace],
    );
  }

  /** Privacy erase: lessons hold hashed words of the subject's comments; they go too. */
  async deleteForComments(tx: EntityManager, commentIds: string[]): Promise<void> {
    await tx.query(`DELETE FROM toxicity_feedback WHERE comment_id = ANY($1::uuid[])`, [
      commentIds,
    ]);
  }
}
