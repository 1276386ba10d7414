import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One attempt to POST an event to an endpoint, as recorded in `attemptLog`. */
export interface WebhookAttempt {
  attempt: number;
  /** When the attempt started (RFC 3339). */
  at: string;
  /** The receiver's HTTP status, or null when none came (timeout, refused, …). */
  statusCode: number | null;
  /** Why it failed (never the response body). */
  error: string | null;
  durationMs: number;
}

/**
 * One event for one endpoint: created by the relay (at most once per endpoint and event), then
 * attempted by the `webhooks` queue until it succeeds or gives up. Every attempt is logged.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('webhook_deliveries_endpoint_event_idx', ['endpointId', 'eventSequence'], { unique: true })
@Index('webhook_deliveries_pending_idx', ['nextAttemptAt'], { where: `status = 'pending'` })
@Index('webhook_deliveries_created_idx', ['createdAt'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  endpointId!: string;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpointEntity;

  /** The outbox sequence of the event (no foreign key: old events are removed by retention). */
  @Column({ type: 'bigint' })
  eventSequence!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  eventType!: string;

  @Column({
    type: 'enum',
    enum: WEBHOOK_DELIVERY_STATUSES,
    enumName: 'webhook_delivery_status',
    default: 'pending',
  })
  status!: WebhookDeliveryStatus;

  @Column({ type: 'smallint', default: 0 })
  attempts!: number;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  attemptLog!: WebhookAttempt[];

  @Column({ type: 'smallint', nullable: true })
  lastStatusCode!: number | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  /** When the next attempt is due (pending only); the sweeper re-queues long-overdue ones. */
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
