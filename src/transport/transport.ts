/**
 * The transport seam: what the service needs from Redis, as small interfaces with a Redis and
 * a PostgreSQL implementation (TRANSPORT / REDIS_URL choose; see README "Transports").
 */

/** Pub/sub between the processes of one deployment: at most once, best effort. */
export interface PubSub {
  /** Publishes the messages on the channel, in order. */
  publish(channel: string, ...messages: string[]): Promise<void>;
  /**
   * Listens on the channel; resolves once listening (rejects when the store cannot be reached).
   * Returns the function that stops listening.
   */
  subscribe(channel: string, listener: ChannelListener): Promise<() => void>;
}

export interface ChannelListener {
  message(message: string): void;
  /**
   * `false`: the connection was lost, messages may be missed from now on; `true`: listening
   * again after such a loss (what was published in between is lost).
   */
  state?(listening: boolean): void;
}

export const PUB_SUB = Symbol('PUB_SUB');

/** A counter and how long it lives once created (a fixed window: the first add sets it). */
export interface CounterAdd {
  key: string;
  ttlMs: number;
}

/** Short-lived counters (rate limits, spam velocity) and one-time claims. */
export interface Counters {
  /** Adds one to each counter (created with its TTL when missing or expired); the new values. */
  increment(counters: readonly CounterAdd[]): Promise<number[]>;
  /** The counter's value; 0 when missing or expired. */
  get(key: string): Promise<number>;
  /** Sets the key for `ttlMs` if it is not set; true when this call set it (SET NX PX). */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

export const COUNTERS = Symbol('COUNTERS');
