import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { AuditService } from '../../audit/audit.service.js';
import type { Principal } from '../../auth/principal.js';
import { CryptoService } from '../../common/crypto/crypto.service.js';
import { NotFoundError, ValidationFailedError } from '../../common/errors/domain.errors.js';
import type { AppConfig } from '../../config/app.config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor.js';
import { SitesService } from '../../sites/sites.service.js';
import type { CommentEventType } from '../cloud-event.js';
import { webhookUrlProblem } from './webhook-address.js';
import type { WebhookAttempt, WebhookDeliveryStatus } from './webhook-delivery.entity.js';
import { newWebhookSecret } from './webhook-signature.js';
import {
  WebhooksRepository,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from './webhooks.repository.js';
import { formatSequence } from '../sequence.js';

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
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(WebhooksService.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Registers an endpoint (audited); its secret is in this answer only (stored encrypted).
   * A URL on a loopback, private, link-local or otherwise non-public address is refused unless
   * WEBHOOK_ALLOW_PRIVATE (the connect-time check catches names that resolve to one).
   */
  async create(
    principal: Principal,
    input: { url: string; events: CommentEventType[]; siteId?: string },
  ): Promise<{ id: string; secret: string }> {
    const problem = this.config.events.webhookAllowPrivate ? null : webhookUrlProblem(input.url);
    if (problem) throw new ValidationFailedError([{ field: 'url', message: problem }]);
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
    await this.audit.record({
      actor: principal.actor,
      action: 'webhook.create',
      targetType: 'webhook',
      targetId: id,
      siteId: input.siteId ?? null,
      details: { host: new URL(input.url).host, events: input.events },
    });
    this.logger.info({ endpointId: id, events: input.events }, 'Webhook endpoint registered');
    return { id, secret };
  }

  async list(): Promise<WebhookEndpointView[]> {
    return (await this.webhooks.listActiveEndpoints()).map(toEndpointView);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    if (!(await this.webhooks.softDeleteEndpoint(id))) throw webhookNotFound();
    await this.audit.record({
      actor: principal.actor,
      action: 'webhook.delete',
      targetType: 'webhook',
      targetId: id,
    });
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
