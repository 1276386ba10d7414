import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { affectedRows } from '../database/affected-rows.js';
import type { MailJob } from './mail.queue.js';

export type MailJobOutcome = 'sent' | 'skipped' | 'failed';

/** Every query on `mail_jobs`, the record of mail jobs that outlives Redis. */
@Injectable()
export class MailJobsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records jobs before they are queued; a job recorded before (an event relayed again) stays. */
  async record(jobs: readonly MailJob[]): Promise<void> {
    if (!jobs.length) return;
    await this.db.query(
      `INSERT INTO mail_jobs (id, data)
       SELECT * FROM unnest($1::varchar[], $2::jsonb[]) ON CONFLICT (id) DO NOTHING`,
      [jobs.map((j) => j.id), jobs.map((j) => JSON.stringify(j.data))],
    );
  }

  async finish(id: string, outcome: MailJobOutcome, now = new Date()): Promise<void> {
    await this.db.query(
      `UPDATE mail_jobs SET finished_at = $2, outcome = $3 WHERE id = $1 AND finished_at IS NULL`,
      [id, now, outcome],
    );
  }

  /** Unfinished jobs recorded before `before`, oldest first. */
  findUnfinished(before: Date, limit: number): Promise<MailJob[]> {
    return this.db.query(
      `SELECT id, data FROM mail_jobs WHERE finished_at IS NULL AND created_at < $1
       ORDER BY created_at LIMIT $2`,
      [before, limit],
    );
  }

  /** Retention: finished records older than `before`. */
  async deleteFinishedBefore(before: Date): Promise<number> {
    return affectedRows(
      await this.db.query(`DELETE FROM mail_jobs WHERE finished_at < $1`, [before]),
    );
  }
}
