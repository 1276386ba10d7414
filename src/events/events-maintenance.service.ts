import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PeriodicTasks } from '../common/schedule/periodic-tasks.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { OutboxRepository } from './outbox.repository.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const FIRST_RETENTION_MS = 60 * 1000;
const DELETE_BATCH = 5000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Worker-role timers (`PeriodicTasks`: in the process, not in Redis, so they survive a Redis
 * loss):
 * - every SWEEP_INTERVAL_MS, re-queue webhook deliveries overdue by more than
 *   PENDING_SWEEP_AFTER_S (their job was lost);
 * - hourly, delete relayed outbox events and finished deliveries older than
 *   EVENTS_RETENTION_DAYS.
 */
@Injectable()
export class EventsMaintenanceService implements OnApplicationBootstrap {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly deliveries: WebhookDeliveryService,
    private readonly tasks: PeriodicTasks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(EventsMaintenanceService.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.tasks.every('webhook-sweep', this.config.sweepIntervalMs, () => this.sweepDeliveries());
    // Once soon after start (processes that restart often still clean up), then hourly.
    this.tasks.every(
      'events-retention',
      RETENTION_INTERVAL_MS,
      () => this.applyRetention(),
      FIRST_RETENTION_MS,
    );
  }

  async sweepDeliveries(): Promise<number> {
    try {
      const queued = await this.deliveries.requeueOverdue(this.config.pendingSweepAfterMs);
      if (queued) this.logger.info({ queued }, 'Re-queued overdue webhook deliveries');
      return queued;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Delivery sweep failed; will retry');
      return 0;
    }
  }

  /** Deletes what retention allows, in batches; returns how many rows went. */
  async applyRetention(now = new Date()): Promise<{ events: number; deliveries: number }> {
    const cutoff = new Date(now.getTime() - this.config.events.retentionDays * DAY_MS);
    const removed = { events: 0, deliveries: 0 };
    try {
      let n: number;
      do {
        n = await this.outbox.deleteRelayedBefore(cutoff, DELETE_BATCH);
        removed.events += n;
      } while (n === DELETE_BATCH);
      do {
        n = await this.deliveries.deleteFinishedBefore(cutoff, DELETE_BATCH);
        removed.deliveries += n;
      } while (n === DELETE_BATCH);
      if (removed.events || removed.deliveries) {
        this.logger.info(removed, 'Removed events and deliveries past retention');
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Retention cleanup failed; will retry');
    }
    return removed;
  }
}
