import { Injectable } from '@nestjs/common';
import { PubSub } from '../redis/pubsub.js';
import { LIVE_CHANNEL } from './live-events.hub.js';
import { RelayTargetRegistry, type RelayTarget, type RelayedEvent } from './relay-target.js';

/**
 * Relay target: publishes comment events on one pub/sub channel, which every api process's
 * LiveEventsHub subscribes to and fans out to its SSE streams (readers' streams take the
 * approvals, moderators' streams everything). Pub/sub is at most once; streams that may have
 * missed something are ended and resume from PostgreSQL. Events carry no email.
 */
@Injectable()
export class LiveEventsPublisher implements RelayTarget {
  readonly name = 'live-sse';
  readonly order = 30;

  constructor(
    private readonly pubsub: PubSub,
    registry: RelayTargetRegistry,
  ) {
    registry.register(this);
  }

  async relay(batch: readonly RelayedEvent[]): Promise<void> {
    await this.pubsub.publish(
      LIVE_CHANNEL,
      batch.map((event) => event.json),
    );
  }
}
