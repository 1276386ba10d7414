import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type {
  WebhookAttempt,
  WebhookDeliveryEntity,
  WebhookDeliveryStatus,
} from './webhook-delivery.entity.js';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

export type WebhookEndpointRow = Omit<WebhookEndpointEntity, 'secretCiphertext' | 'secretKeyId'>;

export type WebhookDeliveryRow = Omit<WebhookDeliveryEntity, 'endpoint'>;

/** What one attempt needs: the delivery and its endpoint's address and secret. */
export interface DeliveryForAttempt {
  id: string;
  endpointId: string;
  eventSequence: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  url: string;
  secretCiphertext: Buffer;
  secretKeyId: string;
  endpointDeletedAt: Date | null;
}

/** A delivery to (re)queue. */
export interface DeliveryRef {
  id: string;
  endpointId: string;
  eventSequence: string;
}

const ENDPOINT = `id, url, events, site_id AS "siteId", created_at AS "createdAt",
  deleted_at AS "deletedAt"`;

const DELIVERY = `id, endpoint_id AS "endpointId", event_sequence::text AS "eventSequence",
  event_id AS "eventId", event_type AS "eventType", status, attempts,
  attempt_log AS "attemptLog", last_status_code AS "lastStatusCode", last_error AS "lastError",
  next_attempt_at AS "nextAttemptAt", created_at AS "createdAt", updated_at AS "updatedAt",
  completed_at AS "completedAt"`;

const REF = `id, endpoint_id AS "endpointId", event_sequence::text AS "eventSequence"`;

/** Every query on webhook endpoints and deliveries. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async createEndpoint(input: {
    id: string;
    url: string;
    events: string[];
    siteId: string | null;
    secretCiphertext: Buffer;
    secretKeyId: string;
  }): Promise<WebhookEndpointRow> {
    const rows: WebhookEndpointRow[] = await this.db.query(
      `INSERT INTO webhook_endpoints (id, url, events, site_id, secret_ciphertext, secret_key_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ENDPOINT}`,
      [input.id, input.url, input.events, input.siteId, input.secretCiphertext, input.secretKeyId],
    );
    return rows[0];
  }

  listActiveEndpoints(): Promise<WebhookEndpointRow[]> {
    return this.db.query(
      `SELECT ${ENDPOINT} FROM webhook_endpoints WHERE deleted_at IS NULL
       ORDER BY created_at, id`,
    );
  }

  async findActiveEndpoint(id: string): Promise<WebhookEndpointRow | null> {
    const rows: WebhookEndpointRow[] = await this.db.query(
      `SELECT ${ENDPOINT} FROM webhook_endpoints WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return rows[0] ?? null;
  }

  async softDeleteEndpoint(id: string): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE webhook_endpoints SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return affected(result) > 0;
  }

  /**
   * One delivery per (subscribed, active endpoint × event), at most once ever (a relayed batch
   * handed over again creates nothing new); returns the still-pending deliveries of these
   * events, in sequence order, so they can be (re)queued.
   */
  async createDeliveries(sequences: string[]): Promise<DeliveryRef[]> {
    if (!sequences.length) return [];
    // `sequences` are public sequences: log positions (outbox.repository.ts), never the
    // insertion-order `outbox_events.sequence` column, which differs once writers overlap.
    await this.db.query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_sequence, event_id, event_type,
                                       next_attempt_at)
       SELECT e.id, o.position, o.event_id, o.type, now()
       FROM outbox_events o
       JOIN webhook_endpoints e
         ON e.deleted_at IS NULL AND o.type = ANY(e.events)
        AND (e.site_id IS NULL OR e.site_id = o.site_id)
       WHERE o.position = ANY($1::bigint[])
       ORDER BY o.position, e.id
       ON CONFLICT (endpoint_id, event_sequence) DO NOTHING`,
      [sequences],
    );
    return this.db.query(
      `SELECT ${REF} FROM webhook_deliveries
       WHERE event_sequence = ANY($1::bigint[]) AND status = 'pending'
       ORDER BY event_sequence, endpoint_id`,
      [sequences],
    );
  }

  async findForAttempt(id: string): Promise<DeliveryForAttempt | null> {
    const rows: DeliveryForAttempt[] = await this.db.query(
      `SELECT d.id, d.endpoint_id AS "endpointId", d.event_sequence::text AS "eventSequence",
              d.status, d.attempts, e.url, e.secret_ciphertext AS "secretCiphertext",
              e.secret_key_id AS "secretKeyId", e.deleted_at AS "endpointDeletedAt"
       FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
       WHERE d.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Records an attempt on a still-pending delivery and moves it on: `pending` again (with the
   * next due time), `succeeded` or `failed` (given up). False if it was no longer pending.
   */
  async recordAttempt(
    id: string,
    attempt: WebhookAttempt,
    outcome: { status: WebhookDeliveryStatus; nextAttemptAt: Date | null },
  ): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE webhook_deliveries
       SET attempts = attempts + 1, attempt_log = attempt_log || $2::jsonb,
           last_status_code = $3, last_error = $4, status = $5::webhook_delivery_status,
           next_attempt_at = $6,
           completed_at = CASE WHEN $5::webhook_delivery_status = 'pending' THEN NULL ELSE now() END,
           updated_at = now()
       WHERE id = $1 AND status = 'pending'`,
      [
        id,
        JSON.stringify([attempt]),
        attempt.statusCode,
        attempt.error,
        outcome.status,
        outcome.nextAttemptAt,
      ],
    );
    return affected(result) > 0;
  }

  /** Closes a pending delivery without an attempt (endpoint deleted, event gone). */
  async abandon(id: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries
       SET status = 'failed', last_error = $2, next_attempt_at = NULL, completed_at = now(),
           updated_at = now()
       WHERE id = $1 AND status = 'pending'`,
      [id, reason],
    );
  }

  /** An endpoint's deliveries, newest event first, keyset-paged by event sequence. */
  listDeliveries(
    endpointId: string,
    query: { beforeSequence: string | null; status: WebhookDeliveryStatus | null; limit: number },
  ): Promise<WebhookDeliveryRow[]> {
    return this.db.query(
      `SELECT ${DELIVERY} FROM webhook_deliveries
       WHERE endpoint_id = $1
         AND ($2::bigint IS NULL OR event_sequence < $2::bigint)
         AND ($3::webhook_delivery_status IS NULL OR status = $3::webhook_delivery_status)
       ORDER BY event_sequence DESC LIMIT $4`,
      [endpointId, query.beforeSequence, query.status, query.limit],
    );
  }

  /** Pending deliveries whose attempt is overdue by more than the grace (lost jobs). */
  findOverdue(dueBefore: Date, limit: number): Promise<DeliveryRef[]> {
    return this.db.query(
      `SELECT ${REF} FROM webhook_deliveries
       WHERE status = 'pending' AND next_attempt_at < $1
       ORDER BY next_attempt_at LIMIT $2`,
      [dueBefore, limit],
    );
  }

  /** Retention: finished deliveries created before `cutoff`. */
  async deleteFinishedBefore(cutoff: Date, batch: number): Promise<number> {
    const result: unknown = await this.db.query(
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM webhook_deliveries
         WHERE created_at < $1 AND status <> 'pending'
         ORDER BY created_at LIMIT $2)`,
      [cutoff, batch],
    );
    return affected(result);
  }
}

/** TypeORM answers an UPDATE or DELETE with `[rows, affected]`. */
function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
