/** One counter: its key (logical parts, placed by the implementation) and its lifetime. */
export interface CounterHit {
  key: readonly string[];
  /** The counter lives this long from its first hit (a fixed window). */
  ttlMs: number;
}

/**
 * Expiring counters for rate limits and velocity facts (fixed windows: the window's number is
 * part of the key), and one-time claims. One implementation is bound per process by the
 * transport (`RedisModule`): Redis (INCR + PEXPIRE NX in one MULTI; SET NX PX) or PostgreSQL
 * (an unlogged table, `PostgresCounters`). Callers decide what a failure means.
 */
export abstract class Counters {
  /** Adds one to each counter and returns the new values, in order, in one round trip. */
  abstract hit(counters: readonly CounterHit[]): Promise<number[]>;

  /** A counter's value (0 when it does not exist). */
  abstract read(key: readonly string[]): Promise<number>;

  /**
   * Takes the key for `ttlMs` if nobody holds it: true for the one caller that did (a solved
   * challenge accepted once, the day's retention run).
   */
  abstract claim(key: readonly string[], ttlMs: number): Promise<boolean>;

  /**
   * Deletes every counter under `scope` (the key's first part) that has one of `subjects` as
   * a part of its key (a blind index, as hex): a privacy erase forgets the rate limits and
   * velocity facts kept about a person. The number of counters deleted.
   */
  abstract forget(scope: string, subjects: readonly string[]): Promise<number>;
}
