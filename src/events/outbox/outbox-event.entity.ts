import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The transactional outbox and durable event log. Rows are written in the transaction that
 * causes them (`sequence`: insertion order, internal) and relayed afterwards. The relay gives
 * each row its `position` in the log when it first relays it: the public event `sequence`,
 * gap-free and increasing in the order events are published, whatever order their
 * transactions committed in — so no writer ever waits for another to keep the log ordered.
 */
@Entity({ name: 'outbox_events' })
@Index('outbox_events_unpositioned_idx', ['sequence'], { where: 'position IS NULL' })
@Index('outbox_events_unrelayed_idx', ['position'], { where: 'relayed_at IS NULL' })
@Index('outbox_events_article_approved_idx', ['siteId', 'articleId', 'position'], {
  where: `type = 'comment.approved'`,
})
@Index('outbox_events_created_idx', ['createdAt'])
@Index('outbox_events_subject_idx', ['subject'])
export class OutboxEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  sequence!: string;

  /** Place in the published log (the CloudEvent `sequence`); null until first relayed. */
  @Column({ type: 'bigint', nullable: true, unique: true })
  position!: string | null;

  /** The CloudEvent id. */
  @Column({ type: 'uuid', unique: true })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ type: 'varchar', length: 100 })
  source!: string;

  @Column({ type: 'varchar', length: 100 })
  subject!: string;

  @Column({ type: 'varchar', length: 64 })
  siteId!: string;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  relayedAt!: Date | null;

  /** The comment's article (from `data.comment.articleId`), for per-article replays (SSE). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  articleId!: string | null;
}
