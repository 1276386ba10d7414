import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PubSub, type Subscription } from '../redis/pubsub.js';
import { toCloudEvent } from './cloud-event.js';
import { OUTBOX_WAKE_CHANNEL } from './outbox-waker.js';
import { OutboxRepository, type StoredEvent } from './outbox.repository.js';
import { RelayLease } from './relay-lease.js';
import { RelayTargetRegistry, type RelayedEvent } from './relay-target.js';

const BATCH_SIZE = 100;
const MAX_BACKOFF_MS = 30_000;

/**
 * Relays outbox rows, in sequence order, to every registered relay target, then marks them
 * relayed (worker role). One relay is active at a time across all workers: the holder of the
 * lease (a PostgreSQL session advisory lock, see RelayLease); the others stand by and retry
 * every EVENTS_RELAY_POLL_MS, so one takes over within that time when the active one dies.
 * The active relay is woken through Redis pub/sub after outbox commits (OutboxWaker) and
 * polls as a fallback.
 *
 * At least once: a crash between handing a batch over and marking it relayed hands it over
 * again; targets dedupe by sequence (the stream by its entry id, webhooks by a unique
 * delivery per endpoint and event).
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly lease: RelayLease;
  private wakeUps: Promise<Subscription | undefined> | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeRequested = false;
  private wakeUp: (() => void) | undefined;
  private interrupt: (() => void) | undefined;
  /**
   * The highest sequence each target accepted while this process held the lease. When one
   * target of a batch fails (say webhooks, while Redis restarts), the retry hands the batch
   * only to the targets that did not take it yet: a Redis Stream emptied in between would
   * otherwise accept the same events a second time, under the same ids.
   */
  private readonly handedTo = new Map<string, bigint>();

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly targets: RelayTargetRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(OutboxRelayService.name) private readonly logger: PinoLogger,
    private readonly pubsub: PubSub,
  ) {
    this.lease = new RelayLease(config.database.url);
  }

  /** True while this process is the active relay. */
  get isActive(): boolean {
    return this.lease.active;
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
    this.listenForWakeUps();
  }

  /** Missed wake-ups need no care: polling covers the gap. */
  private listenForWakeUps(): void {
    this.wakeUps = this.pubsub
      .subscribe(OUTBOX_WAKE_CHANNEL, { message: () => this.wake() })
      .catch((error: unknown) => {
        this.logger.warn({ err: (error as Error).message }, 'Relay wake-ups unavailable; polling');
        return undefined;
      });
  }

  /** Finishes the batch in hand, then gives the lease up so a standby takes over at once. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.interrupt?.();
    await this.loop;
    await this.lease.close();
    await (await this.wakeUps)?.unsubscribe();
  }

  private async run(): Promise<void> {
    let failures = 0;
    let wasActive = false;
    while (!this.stopping) {
      try {
        if (!this.lease.active) {
          if (wasActive) this.logger.warn('Lost the relay lease; standing by');
          wasActive = false;
          if (!(await this.lease.tryAcquire())) {
            await this.sleep(this.config.events.relayPollMs);
            continue;
          }
          wasActive = true;
          this.handedTo.clear();
          this.logger.info('Acquired the relay lease: this process relays the outbox');
        }
        const relayed = await this.relayBatch();
        failures = 0;
        if (relayed < BATCH_SIZE) await this.sleep(this.config.events.relayPollMs);
      } catch (error) {
        failures++;
        const delay = Math.min(
          this.config.events.relayPollMs * 2 ** Math.min(failures - 1, 10),
          MAX_BACKOFF_MS,
        );
        this.logger.warn(
          { err: (error as Error).message, failures, retryInMs: delay },
          'Relay failed; retrying',
        );
        await this.sleep(delay, false);
      }
    }
  }

  /** Hands the oldest unrelayed events to every target in order, then marks them relayed. */
  private async relayBatch(): Promise<number> {
    let rows = await this.outbox.findUnrelayed(this.lease, BATCH_SIZE);
    if (!rows.length) {
      // Everything numbered went out: number the next committed events, in insertion order.
      await this.outbox.assignPositions(this.lease, BATCH_SIZE);
      rows = await this.outbox.findUnrelayed(this.lease, BATCH_SIZE);
    }
    if (!rows.length) return 0;
    const batch = rows.map(toRelayedEvent);
    for (const target of this.targets.list()) {
      const done = this.handedTo.get(target.name);
      const todo = done === undefined ? batch : batch.filter((e) => BigInt(e.sequence) > done);
      if (!todo.length) continue;
      try {
        await target.relay(todo);
        this.handedTo.set(target.name, BigInt(todo.at(-1)!.sequence));
      } catch (error) {
        if (!target.bestEffort) {
          throw new Error(`relay target ${target.name}: ${(error as Error).message}`);
        }
        this.logger.warn(
          { target: target.name, err: (error as Error).message },
          'Best-effort relay target failed; batch relayed without it',
        );
      }
    }
    await this.outbox.markRelayed(
      this.lease,
      batch.map((event) => event.sequence),
    );
    this.logger.debug(
      { from: batch[0].sequence, to: batch.at(-1)!.sequence, count: batch.length },
      'Relayed events',
    );
    return rows.length;
  }

  private wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wakeRequested = true;
  }

  /** Waits `ms`, or less when shutdown or (if `wakeable`) an outbox commit comes first. */
  private sleep(ms: number, wakeable = true): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (wakeable && this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      timer.unref();
      this.interrupt = finish;
      if (wakeable) this.wakeUp = finish;
    });
  }
}

function toRelayedEvent(row: StoredEvent): RelayedEvent {
  const cloudEvent = toCloudEvent(row);
  return {
    sequence: row.sequence,
    type: row.type,
    siteId: row.siteId,
    articleId: row.articleId,
    cloudEvent,
    json: JSON.stringify(cloudEvent),
    row,
  };
}
