/** One counter: its key (logical parts, placed by the implementation) and its lifetime. */
export interface CounterHit {
  key: readonly string[];
  /** The counter lives this long from its first hit (a fixed window). */
  ttlMs: number;
}

/**
 * Expiring counters for rate limits and velocity facts (fixed windows: the window's number is
 * part of the key). One implementation is bound per process (`RedisModule`: INCR + PEXPIRE NX
 * in one MULTI). Callers decide what a failure means (they all fail open).
 */
export abstract class Counters {
  /** Adds one to each counter and returns the new values, in order, in one round trip. */
  abstract hit(counters: readonly CounterHit[]): Promise<number[]>;

  /** A counter's value (0 when it does not exist). */
  abstract read(key: readonly string[]): Promise<number>;
}
