import { Check, Entity, Index } from 'typeorm';
import { LessonEntity } from '../common/learning/lessons.js';

/**
 * What moderators taught the toxicity classifier: one row per comment held for toxicity that
 * a moderator approved (`clean`) or rejected (`toxic`). The classifier's lessons are these
 * rows (see docs/moderation-quality.md).
 */
@Entity({ name: 'toxicity_feedback' })
@Check('toxicity_feedback_label_check', `label IN ('toxic', 'clean')`)
@Index('toxicity_feedback_feature_space_idx', ['featureSpace'])
export class ToxicityFeedbackEntity extends LessonEntity<'toxic' | 'clean'> {}
