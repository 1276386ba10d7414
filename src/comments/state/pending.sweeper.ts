import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PeriodicTasks } from '../../common/schedule/periodic-tasks.js';
import type { AppConfig } from '../../config/app.config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { CommentStateService } from './comment-state.service.js';

/**
 * Every SWEEP_INTERVAL_MS (worker role), re-queues comments left `pending` longer than
 * PENDING_SWEEP_AFTER_S, so that nothing accepted is lost if Redis loses its data. Its
 * schedule is a `PeriodicTasks` timer, in the process, not in Redis, for that very reason.
 */
@Injectable()
export class PendingSweeper implements OnApplicationBootstrap {
  constructor(
    private readonly comments: CommentStateService,
    private readonly tasks: PeriodicTasks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(PendingSweeper.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.tasks.every('pending-sweep', this.config.sweepIntervalMs, () => this.sweep());
  }

  async sweep(): Promise<number> {
    try {
      const queued = await this.comments.requeueStalePending(this.config.pendingSweepAfterMs);
      if (queued) this.logger.info({ queued }, 'Re-queued stale pending comments');
      return queued;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Sweep failed; will retry');
      return 0;
    }
  }
}
