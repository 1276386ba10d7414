import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { NotFoundError } from '../common/errors/domain.errors.js';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor.js';
import { SitesService } from '../sites/sites.service.js';
import type { CommentEventType } from './cloud-event.js';
import type { WebhookAttempt, WebhookDeliveryStatus } from './webhook-delivery.entity.js';
import { newWebhookSecret } from './webhook-signature.js';
import {
  WebhooksRepository,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from './webhooks.repository.js';
import { formatSequence } from './sequence.js';

export interface WebhookEndpointView {
  id: string;
  url: string;
  events: string[];
  siteId: string | null;
  createdAt: string;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  sequence: string;
  type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  completedAt: string | null;
  /** Every attempt, oldest first. */
  attemptLog: WebhookAttempt[];
}

const CURSOR_KIND = 'webhook-deliveries';

/** Admin API on webhook endpoints and their delivery log. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly sites: SitesService,
    private readonly crypto: CryptoService,
    @InjectPinoLogger(WebhooksService.name) private readonly logger: PinoLogger,
  ) {}

  /** Registers an endpoint; its secret is in this answer only (stored encrypted). */
  async create(input: {
    url: string;
    events: CommentEventType[];
    siteId?: string;
  }): Promise<{ id: string; secret: string }> {
    if (input.siteId) await this.sites.get(input.siteId);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const encrypted = this.crypto.encryptText(secret);
    await this.webhooks.createEndpoint({
      id,
      url: input.url,
      events: input.events,
      siteId: input.siteId ?? null,
      secretCiphertext: encrypted.ciphertext,
      secretKeyId: encrypted.keyId,
    });
    this.logger.info({ endpointId: id, events: input.events }, 'Webhook endpoint registered');
    return { id, secret };
  }

  async list(): Promise<WebhookEndpointView[]> {
    return (await this.webhooks.listActiveEndpoints()).map(toEndpointView);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.webhooks.softDeleteEndpoint(id))) throw webhookNotFound();
    this.logger.info({ endpointId: id }, 'Webhook endpoint deleted');
  }

  async deliveries(
    endpointId: string,
    query: { status?: WebhookDeliveryStatus; limit: number; cursor?: string },
  ): Promise<{ items: WebhookDeliveryView[]; nextCursor: string | null }> {
    if (!(await this.webhooks.findActiveEndpoint(endpointId))) throw webhookNotFound();
    const position = query.cursor
      ? decodeCursor<{ s: string; st: string }>(
          CURSOR_KIND,
          query.cursor,
          (v): v is { s: string; st: string } & Record<string, unknown> =>
            typeof v.s === 'string' && /^\d{1,19}$/.test(v.s) && v.st === (query.status ?? ''),
        )
      : null;
    const rows = await this.webhooks.listDeliveries(endpointId, {
      beforeSequence: position?.s ?? null,
      status: query.status ?? null,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor(CURSOR_KIND, { s: last.eventSequence, st: query.status ?? '' })
        : null;
    return { items: page.map(toDeliveryView), nextCursor };
  }
}

function webhookNotFound(): NotFoundError {
  return new NotFoundError('There is no such webhook endpoint.');
}

function toEndpointView(row: WebhookEndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    siteId: row.siteId,
    createdAt: row.createdAt.toISOString(),
  };
}

function toDeliveryView(row: WebhookDeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventId: row.eventId,
    sequence: formatSequence(row.eventSequence),
    type: row.eventType,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    attemptLog: row.attemptLog,
  };
}
