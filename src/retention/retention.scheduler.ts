import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PeriodicTasks } from '../common/schedule/periodic-tasks.js';
import { RedisKeys } from '../redis/redis-keys.js';
import { REDIS } from '../redis/redis.module.js';
import { RetentionService } from './retention.service.js';

const DAY_MS = 24 * 3600 * 1000;
const CHECK_EVERY_MS = 3600 * 1000;
const FIRST_CHECK_MS = 60_000;

/**
 * The daily retention run (worker role; a `PeriodicTasks` timer). Every hour each worker asks Redis for the day's slot
 * (`SET … NX PX 24h`): one worker a day runs it. If Redis loses the key the run happens again
 * early, which is harmless (the purge is idempotent); if Redis is down, nobody runs until it
 * is back.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly retention: RetentionService,
    private readonly tasks: PeriodicTasks,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    @InjectPinoLogger(RetentionScheduler.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.tasks.every('retention', CHECK_EVERY_MS, () => this.maybeRun(), FIRST_CHECK_MS);
  }

  /** Runs the purge if no worker has in the last 24 hours; true when this one did. */
  async maybeRun(now = new Date()): Promise<boolean> {
    try {
      const slot = await this.redis.set(
        this.keys.key('retention', 'daily'),
        '1',
        'PX',
        DAY_MS,
        'NX',
      );
      if (slot !== 'OK') return false;
      await this.retention.run('system:retention', now);
      return true;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Retention run failed; will retry');
      return false;
    }
  }
}
