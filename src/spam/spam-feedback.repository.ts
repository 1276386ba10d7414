import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { FeedbackLabel } from './classifier/spam-model.types.js';

export interface FeedbackRow {
  label: FeedbackLabel;
  features: number[];
}

@Injectable()
export class SpamFeedbackRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One row per comment: a later decision on the same comment replaces the earlier one. */
  async upsert(
    manager: EntityManager,
    row: {
      commentId: string;
      label: FeedbackLabel;
      featureSpace: string;
      features: readonly number[];
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO spam_feedback (comment_id, label, feature_space, features)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (comment_id) DO UPDATE SET label = EXCLUDED.label,
         feature_space = EXCLUDED.feature_space, features = EXCLUDED.features, updated_at = now()`,
      [row.commentId, row.label, row.featureSpace, row.features],
    );
  }

  findAll(featureSpace: string): Promise<FeedbackRow[]> {
    return this.db.query(`SELECT label, features FROM spam_feedback WHERE feature_space = $1`, [
      featureSpace,
    ]);
  }
}
