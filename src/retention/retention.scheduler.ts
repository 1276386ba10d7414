import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PeriodicTasks } from '../common/schedule/periodic-tasks.js';
import { Counters } from '../redis/counters.js';
import { RetentionService } from './retention.service.js';

const DAY_MS = 24 * 3600 * 1000;
const CHECK_EVERY_MS = 3600 * 1000;
const FIRST_CHECK_MS = 60_000;

/**
 * The daily retention run (worker role; a `PeriodicTasks` timer). Every hour each worker
 * claims the day's slot (`Counters.claim`, 24 h: Redis SET NX PX, or a row of the PostgreSQL
 * transport): one worker a day runs it. If the transport loses the slot the run happens again
 * early, which is harmless (the purge is idempotent); if it is down, nobody runs until it is
 * back.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly retention: RetentionService,
    private readonly tasks: PeriodicTasks,
    private readonly counters: Counters,
    @InjectPinoLogger(RetentionScheduler.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.tasks.every('retention', CHECK_EVERY_MS, () => this.maybeRun(), FIRST_CHECK_MS);
  }

  /** Runs the purge if no worker has in the last 24 hours; true when this one did. */
  async maybeRun(now = new Date()): Promise<boolean> {
    try {
      if (!(await this.counters.claim(['retention', 'daily'], DAY_MS))) return false;
      await this.retention.run('system:retention', now);
      return true;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Retention run failed; will retry');
      return false;
    }
  }
}
