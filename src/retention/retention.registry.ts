import { Injectable } from '@nestjs/common';
import type { Site } from '../sites/sites.service.js';

/** One owner's part of the retention run (the comments module, trust and safety, …). */
export interface RetentionTask {
  /** For logs. */
  readonly name: string;
  /**
   * Removes what the sites' `retention` settings say is too old, as bulk statements (no
   * per-comment events); answers how many of each thing it removed.
   */
  purge(sites: readonly Site[], now: Date): Promise<Record<string, number>>;
}

/**
 * Where retention tasks register (each owning module's provider calls `register(this)` from
 * `onModuleInit`), so the run never queries another module's tables.
 */
@Injectable()
export class RetentionRegistry {
  private readonly tasks: RetentionTask[] = [];

  register(task: RetentionTask): void {
    if (!this.tasks.includes(task)) this.tasks.push(task);
  }

  all(): readonly RetentionTask[] {
    return this.tasks;
  }
}
