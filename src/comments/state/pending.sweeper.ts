import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../../config/app.config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { CommentStateService } from './comment-state.service.js';

/**
 * Every few seconds (worker role), re-queues comments left `pending` longer than
 * PENDING_SWEEP_AFTER_S, so that nothing accepted is lost if Redis loses its data. It keeps
 * its schedule in the process, not in Redis, for that very reason.
 */
@Injectable()
export class PendingSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly comments: CommentStateService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(PendingSweeper.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    }, this.config.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
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
