/**
 * Publish/subscribe between the processes of the service: the thread cache's invalidations,
 * the live streams' events and the outbox relay's wake-ups. At most once: a subscriber that
 * may have missed messages (its connection dropped) is told so (`gap`) and recovers from
 * PostgreSQL. One implementation is bound per process (`RedisModule`: Redis pub/sub).
 */
export interface PubSubHandlers {
  message(payload: string): void;
  /**
   * Messages may have been missed: the connection was lost, or it came back and the channel
   * was subscribed again. Called on both, so a listener that keeps state drops it.
   */
  gap?(): void;
}

export interface Subscription {
  /** True while messages arrive (subscribed and connected). */
  readonly live: boolean;
  /** Stops the handlers; the channel is left when its last subscription ends. */
  unsubscribe(): Promise<void>;
}

/** Channel names are logical (`thread:invalidations`); the implementation places them. */
export abstract class PubSub {
  /** Publishes the messages on the channel in this order (one round trip). */
  abstract publish(channel: string, messages: readonly string[]): Promise<void>;

  /** Resolves once the subscription is live; rejects when the broker cannot be reached. */
  abstract subscribe(channel: string, handlers: PubSubHandlers): Promise<Subscription>;
}
