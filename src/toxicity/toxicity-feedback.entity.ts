import { Check, Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * What moderators taught the toxicity classifier: one row per comment held for toxicity that
 * a moderator approved (`clean`) or rejected (`toxic`). Only hashed feature ids, never text;
 * the classifier's lessons are these rows (see docs/moderation-quality.md).
 */
@Entity({ name: 'toxicity_feedback' })
@Check('toxicity_feedback_label_check', `label IN ('toxic', 'clean')`)
@Index('toxicity_feedback_feature_space_idx', ['featureSpace'])
export class ToxicityFeedbackEntity {
  @PrimaryColumn({ type: 'uuid' })
  commentId!: string;

  @Column({ type: 'varchar', length: 8 })
  label!: 'toxic' | 'clean';

  @Column({ type: 'varchar', length: 64 })
  featureSpace!: string;

  /** The site whose moderator taught it: a lesson changes scores on that site only. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  siteId!: string | null;

  @Column({ type: 'integer', array: true })
  features!: number[];

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
