import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { LessonsRepository, type LessonRow } from '../common/learning/lessons.js';
import type { FeedbackLabel } from './classifier/spam-model.types.js';

export type FeedbackRow = LessonRow<FeedbackLabel>;

/** The `spam_feedback` table's only owner. */
@Injectable()
export class SpamFeedbackRepository extends LessonsRepository<FeedbackLabel> {
  constructor(@InjectDataSource() db: DataSource) {
    super(db, 'spam_feedback');
  }
}
