import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { LessonsRepository, type LessonRow } from '../common/learning/lessons.js';
import type { ToxicityLabel } from './classifier/toxicity-model.types.js';

export type ToxicityFeedbackRow = LessonRow<ToxicityLabel>;

/** The `toxicity_feedback` table's only owner. */
@Injectable()
export class ToxicityFeedbackRepository extends LessonsRepository<ToxicityLabel> {
  constructor(@InjectDataSource() db: DataSource) {
    super(db, 'toxicity_feedback');
  }
}
