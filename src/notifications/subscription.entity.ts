import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { MailJobData } from '../queue/queue.constants.js';
import { SiteEntity } from '../sites/site.entity.js';

/**
 * A reader's address on one site, for reply mail (double opt-in). Only its keyed hash (the
 * email blind index) is kept here; the address is decrypted from the comment at send time.
 * `confirmedAt` is the date of consent, kept as proof until the author's data is erased.
 */
@Entity({ name: 'subscriptions' })
@Index('subscriptions_site_email_idx', ['siteId', 'emailIndex'], { unique: true })
@Index('subscriptions_email_idx', ['emailIndex'])
export class SubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  @ForeignKey(() => SiteEntity, { onDelete: 'CASCADE' })
  siteId!: string;

  /** HMAC-SHA-256 of the normalised address (the comments' email blind index). */
  @Column({ type: 'bytea' })
  emailIndex!: Buffer;

  /** The last confirmation mail (at most one a day). */
  @Column({ type: 'timestamptz', nullable: true })
  confirmationSentAt!: Date | null;

  /** The mail job that sent it (its retries may send again; nothing else may). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  confirmationJob!: string | null;

  /** Date of consent: when the reader confirmed. */
  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  unsubscribedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One published reply to tell a subscriber about; sent in batches per thread. */
@Entity({ name: 'reply_notifications' })
@Index('reply_notifications_unsent_idx', ['subscriptionId', 'articleId'], {
  where: 'sent_at IS NULL',
})
export class ReplyNotificationEntity {
  @PrimaryColumn({ type: 'uuid' })
  replyId!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => SubscriptionEntity, { onDelete: 'CASCADE' })
  subscriptionId!: string;

  /** The subscriber's comment the reply answers. */
  @Column({ type: 'uuid' })
  parentId!: string;

  @Column({ type: 'varchar', length: 200 })
  articleId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Sent, or dropped (unsubscribed, taken down) when set. */
  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}

/** When mail of one kind last went (reply mail per subscriber and thread, digests per site). */
@Entity({ name: 'mail_windows' })
export class MailWindowEntity {
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key!: string;

  @Column({ type: 'timestamptz', nullable: true })
  lastSentAt!: Date | null;

  /** Digests: held comments up to this moment were in a digest. */
  @Column({ type: 'timestamptz', nullable: true })
  coveredUntil!: Date | null;
}

/**
 * The record of a mail job (ids only, as in the queue): written with the job, finished when the
 * job was sent, skipped or given up. A job Redis lost is unfinished here, and the mail sweeper
 * queues it again.
 */
@Entity({ name: 'mail_jobs' })
@Index('mail_jobs_unfinished_idx', ['createdAt'], { where: '"finished_at" IS NULL' })
export class MailJobEntity {
  /** The job's deterministic id (`confirm-<comment>`, `reply-<comment>`, `digest-<site>-<seq>`). */
  @PrimaryColumn({ type: 'varchar', length: 200 })
  id!: string;

  @Column({ type: 'jsonb' })
  data!: MailJobData;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** `sent`, `skipped` or `failed` (given up after the last attempt). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome!: string | null;
}
