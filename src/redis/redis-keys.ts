/** Every Redis key the service uses, under REDIS_PREFIX (BullMQ uses the same prefix). */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** The CloudEvents stream other services consume. */
  get events(): string {
    return `${this.prefix}:events`;
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }
}
