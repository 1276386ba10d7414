/** The shared ioredis client (cache, counters, streams, pub/sub publishing). */
export const REDIS = Symbol('REDIS');
