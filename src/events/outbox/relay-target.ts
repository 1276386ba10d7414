import { Injectable } from '@nestjs/common';
import type { CloudEventJson } from '../cloud-event.js';
import type { StoredEvent } from './outbox.repository.js';

/** An event as the relay hands it to its targets: the row and its CloudEvent, built once. */
export interface RelayedEvent {
  sequence: string;
  type: string;
  siteId: string;
  articleId: string | null;
  cloudEvent: CloudEventJson;
  /** `JSON.stringify(cloudEvent)`, the exact bytes every channel carries. */
  json: string;
  /** The row, for targets that need more (e.g. webhooks join endpoints on it). */
  row: StoredEvent;
}

/**
 * Something the relay hands every event to, in sequence order, a batch at a time (the Redis
 * Stream, webhook deliveries, the live SSE fan-out; later, e.g., a thread-cache invalidator).
 *
 * Delivery is at least once: after a crash, or when any target of a batch throws, the whole
 * batch is handed over again, so `relay` must be idempotent (dedupe by `sequence`).
 */
export interface RelayTarget {
  /** For logs. */
  readonly name: string;
  /** Lower runs first (built-ins: stream 10, webhooks 20, live 30). Default 100. */
  readonly order?: number;
  /**
   * true: a failure is logged and the batch still counts as relayed (for targets whose loss is
   * harmless, like a cache). false (default): the batch is retried until this target succeeds.
   */
  readonly bestEffort?: boolean;
  relay(batch: readonly RelayedEvent[]): Promise<void>;
}

/**
 * Where relay targets register (a provider of the worker role injects this and calls
 * `register(this)` from its constructor or `onModuleInit`).
 */
@Injectable()
export class RelayTargetRegistry {
  private readonly targets: RelayTarget[] = [];

  register(target: RelayTarget): void {
    if (this.targets.includes(target)) return;
    this.targets.push(target);
    this.targets.sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
  }

  list(): readonly RelayTarget[] {
    return this.targets;
  }
}
