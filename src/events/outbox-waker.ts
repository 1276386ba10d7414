import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PubSub } from '../redis/pubsub.js';

/** Wake-ups closer together than this are one (a burst of commits wakes the relay once). */
const COALESCE_MS = 2;

/** The pub/sub channel the active relay listens on. */
export const OUTBOX_WAKE_CHANNEL = 'outbox:wake';

/**
 * Tells the active relay that events were committed, so it relays them at once instead of at
 * its next poll. Through `PubSub` (Redis), after the commit: a NOTIFY in the transaction would
 * make PostgreSQL serialise every committing transaction on its notification queue (no more
 * group commit), which capped intake at one commit per disk flush. Best effort: the relay
 * still polls every EVENTS_RELAY_POLL_MS.
 */
@Injectable()
export class OutboxWaker implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pubsub: PubSub) {}

  wake(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pubsub.publish(OUTBOX_WAKE_CHANNEL, ['1']).catch(() => undefined);
    }, COALESCE_MS);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }
}
