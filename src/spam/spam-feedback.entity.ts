import { Check, Entity, Index } from 'typeorm';
import { LessonEntity } from '../common/learning/lessons.js';

/**
 * What moderators taught the spam classifier: one row per comment they marked spam (or
 * approved after the filter called it spam). The classifier's learned state is the sum of
 * these rows (see docs/spam.md).
 */
@Entity({ name: 'spam_feedback' })
@Check('spam_feedback_label_check', `label IN ('spam', 'ham')`)
@Index('spam_feedback_feature_space_idx', ['featureSpace'])
export class SpamFeedbackEntity extends LessonEntity<'spam' | 'ham'> {}
