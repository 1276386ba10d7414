import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';

/**
 * The timer loops of the process (sweepers, retention, model refreshes), kept in
 * @nestjs/schedule's registry: in the process, not in Redis, so they go on when Redis loses
 * its data. A run never overlaps the previous one of the same task; on shutdown the timers
 * stop and the runs in progress are awaited (before the connections close).
 */
@Injectable()
export class PeriodicTasks implements OnModuleDestroy {
  private readonly intervals = new Set<string>();
  private readonly timeouts = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly registry: SchedulerRegistry,
    @InjectPinoLogger(PeriodicTasks.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Runs `task` every `intervalMs`, the first time after `firstAfterMs`. A failure is logged
   * and the next run comes as planned (tasks that know better catch their own errors).
   */
  every(
    name: string,
    intervalMs: number,
    task: () => Promise<unknown>,
    firstAfterMs = intervalMs,
  ): void {
    let busy = false;
    const run = () => {
      if (busy || this.stopped) return;
      busy = true;
      const running: Promise<void> = task()
        .then(
          () => undefined,
          (error: unknown) =>
            this.logger.warn({ task: name, err: (error as Error).message }, 'Task failed'),
        )
        .finally(() => {
          busy = false;
          this.running.delete(running);
        });
      this.running.add(running);
    };
    const repeat = () => {
      const timer = setInterval(run, intervalMs);
      timer.unref();
      this.registry.addInterval(name, timer);
      this.intervals.add(name);
    };
    if (firstAfterMs === intervalMs) return repeat();
    const first = setTimeout(() => {
      this.registry.deleteTimeout(name);
      this.timeouts.delete(name);
      if (this.stopped) return;
      run();
      repeat();
    }, firstAfterMs);
    first.unref();
    this.registry.addTimeout(name, first);
    this.timeouts.add(name);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const name of this.intervals) this.registry.deleteInterval(name);
    for (const name of this.timeouts) this.registry.deleteTimeout(name);
    this.intervals.clear();
    this.timeouts.clear();
    await Promise.allSettled([...this.running]);
  }
}
