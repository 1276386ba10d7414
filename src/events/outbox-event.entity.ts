import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The transactional outbox and durable event log. `sequence` orders every event; rows are
 * written in the transaction that causes them and relayed afterwards.
 */
@Entity({ name: 'outbox_events' })
@Index('outbox_events_unrelayed_idx', ['sequence'], { where: 'relayed_at IS NULL' })
export class OutboxEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  sequence!: string;

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
}
