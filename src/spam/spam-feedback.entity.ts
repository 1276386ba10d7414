import { Check, Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * What moderators taught the spam classifier: one row per comment they marked spam (or
 * approved after the filter called it spam). Only hashed feature ids, never text; the
 * classifier's learned state is the sum of these rows (see docs/spam.md).
 */
@Entity({ name: 'spam_feedback' })
@Check('spam_feedback_label_check', `label IN ('spam', 'ham')`)
@Index('spam_feedback_feature_space_idx', ['featureSpace'])
export class SpamFeedbackEntity {
  @PrimaryColumn({ type: 'uuid' })
  commentId!: string;

  @Column({ type: 'varchar', length: 8 })
  label!: 'spam' | 'ham';

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
