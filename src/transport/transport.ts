/**
 * The transport seam, PostgreSQL side. Mirrors the Redis home's `PubSub` and `Counters`
 * (src/redis) until it lands on main.
 */
export interface PubSubHandlers {
  message(payload: string): void;
  gap?(): void;
}

export interface Subscription {
  readonly live: boolean;
  unsubscribe(): Promise<void>;
}

export abstract class PubSub {
  abstract publish(channel: string, messages: readonly string[]): Promise<void>;
  abstract subscribe(channel: string, handlers: PubSubHandlers): Promise<Subscription>;
}

export interface CounterHit {
  key: readonly string[];
  ttlMs: number;
}

export abstract class Counters {
  abstract hit(counters: readonly CounterHit[]): Promise<number[]>;
  abstract read(key: readonly string[]): Promise<number>;
  abstract claim(key: readonly string[], ttlMs: number): Promise<boolean>;
}
