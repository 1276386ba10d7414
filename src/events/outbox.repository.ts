import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sourceOf, type NewOutboxEvent } from './cloud-event.js';

/** Writes to the outbox; always inside the caller's transaction. */
@Injectable()
export class OutboxRepository {
  async append(manager: EntityManager, event: NewOutboxEvent): Promise<void> {
    await manager.query(
      `INSERT INTO outbox_events (event_id, type, source, subject, site_id, data)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [randomUUID(), event.type, sourceOf(event.siteId), event.subject, event.siteId, event.data],
    );
  }
}
