import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { PreparedQueries } from '../database/prepared-queries.js';

export interface SubscriptionRow {
  id: string;
  siteId: string;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
}

const SUBSCRIPTION = `id, site_id AS "siteId", confirmed_at AS "confirmedAt",
  unsubscribed_at AS "unsubscribedAt"`;

/** Every query on `subscriptions`, `reply_notifications` and `mail_windows`. */
@Injectable()
export class SubscriptionsRepository {
  /** The moderation worker asks `everConfirmedAll` for every batch: prepared once. */
  private readonly prepared: PreparedQueries;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.prepared = new PreparedQueries(db);
  }

  /** The address's subscription on the site, created (unconfirmed) when there is none. */
  async upsert(siteId: string, emailIndex: Buffer): Promise<SubscriptionRow> {
    const rows: SubscriptionRow[] = await this.db.query(
      `INSERT INTO subscriptions (site_id, email_index) VALUES ($1, $2)
       ON CONFLICT (site_id, email_index) DO UPDATE SET site_id = EXCLUDED.site_id
       RETURNING ${SUBSCRIPTION}`,
      [siteId, emailIndex],
    );
    return rows[0];
  }

  async findById(id: string): Promise<SubscriptionRow | null> {
    const rows: SubscriptionRow[] = await this.db.query(
      `SELECT ${SUBSCRIPTION} FROM subscriptions WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A confirmed, not unsubscribed subscription of the address on the site. */
  async findActive(siteId: string, emailIndexes: Buffer[]): Promise<SubscriptionRow | null> {
    const rows: SubscriptionRow[] = await this.db.query(
      `SELECT ${SUBSCRIPTION} FROM subscriptions
       WHERE site_id = $1 AND email_index = ANY($2::bytea[])
         AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL
       LIMIT 1`,
      [siteId, emailIndexes],
    );
    return rows[0] ?? null;
  }

  /**
   * Has each address ever confirmed on its site (proof the reader reads that mailbox)? One
   * query for a batch.
   */
  async everConfirmedAll(
    addresses: Array<{ siteId: string; emailIndex: Buffer }>,
  ): Promise<boolean[]> {
    if (addresses.length === 0) return [];
    const rows: Array<{ i: string }> = await this.prepared.query(
      `SELECT v.i FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS v(site_id, email_index, i)
       WHERE EXISTS (SELECT 1 FROM subscriptions s
                     WHERE s.site_id = v.site_id AND s.email_index = v.email_index
                       AND s.confirmed_at IS NOT NULL)`,
      [addresses.map((a) => a.siteId), addresses.map((a) => a.emailIndex)],
    );
    const confirmed = new Set(rows.map((row) => Number(row.i) - 1));
    return addresses.map((_a, i) => confirmed.has(i));
  }

  /**
   * Takes the right to send a confirmation mail: at most one a day per address and site. The
   * job that took it may take it again (its retries), nobody else within the day.
   */
  async claimConfirmation(id: string, jobId: string, now: Date): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE subscriptions SET confirmation_sent_at = $3, confirmation_job = $2
       WHERE id = $1 AND (confirmed_at IS NULL OR unsubscribed_at IS NOT NULL)
         AND (confirmation_job = $2 OR confirmation_sent_at IS NULL
              OR confirmation_sent_at <= $3::timestamptz - interval '24 hours')
       RETURNING 1`,
      [id, jobId, now],
    );
    return affected(result) > 0;
  }

  /** Records consent (its date); a former unsubscription is over. */
  async confirm(id: string, now: Date): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE subscriptions SET confirmed_at = $2, unsubscribed_at = NULL
       WHERE id = $1 AND (confirmed_at IS NULL OR unsubscribed_at IS NOT NULL) RETURNING 1`,
      [id, now],
    );
    if (affected(result) > 0) return true;
    return (await this.findById(id)) !== null;
  }

  /** No more reply mail; unsent notifications are dropped at once. */
  async unsubscribe(id: string, now: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const result: unknown = await tx.query(
        `UPDATE subscriptions SET unsubscribed_at = coalesce(unsubscribed_at, $2)
         WHERE id = $1 RETURNING 1`,
        [id, now],
      );
      await tx.query(
        `UPDATE reply_notifications SET sent_at = $2 WHERE subscription_id = $1 AND sent_at IS NULL`,
        [id, now],
      );
      return affected(result) > 0;
    });
  }

  /** Remembers a reply to announce; false when it was already recorded. */
  async addReply(n: {
    replyId: string;
    subscriptionId: string;
    parentId: string;
    articleId: string;
  }): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO reply_notifications (reply_id, subscription_id, parent_id, article_id)
       VALUES ($1, $2, $3, $4) ON CONFLICT (reply_id) DO NOTHING RETURNING 1`,
      [n.replyId, n.subscriptionId, n.parentId, n.articleId],
    );
    return rows.length > 0;
  }

  /**
   * Runs `work` holding the window `key` (row lock), so two workers never send the same batch.
   * When the last mail of the window went less than `intervalMs` ago, `work` is not run and the
   * moment it may run is returned instead.
   */
  async inWindow<T>(
    key: string,
    intervalMs: number,
    now: Date,
    work: (
      tx: EntityManager,
      coveredUntil: Date | null,
    ) => Promise<{ sent: boolean; coveredUntil?: Date; value: T }>,
  ): Promise<{ notBefore: Date } | { value: T }> {
    return this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO mail_windows (key) VALUES ($1) ON CONFLICT (key) DO NOTHING`, [
        key,
      ]);
      const [window] = await tx.query<
        Array<{ lastSentAt: Date | null; coveredUntil: Date | null }>
      >(
        `SELECT last_sent_at AS "lastSentAt", covered_until AS "coveredUntil"
         FROM mail_windows WHERE key = $1 FOR UPDATE`,
        [key],
      );
      const last = window?.lastSentAt ?? null;
      if (last && last.getTime() + intervalMs > now.getTime()) {
        return { notBefore: new Date(last.getTime() + intervalMs) };
      }
      const result = await work(tx, window?.coveredUntil ?? null);
      if (result.sent) {
        await tx.query(
          `UPDATE mail_windows SET last_sent_at = $2, covered_until = coalesce($3, covered_until)
           WHERE key = $1`,
          [key, now, result.coveredUntil ?? null],
        );
      }
      return { value: result.value };
    });
  }

  /** Unsent replies to one subscriber in one thread (locked by the caller's window). */
  unsentReplies(
    tx: EntityManager,
    subscriptionId: string,
    articleId: string,
  ): Promise<Array<{ replyId: string; parentId: string }>> {
    return tx.query(
      `SELECT reply_id AS "replyId", parent_id AS "parentId" FROM reply_notifications
       WHERE subscription_id = $1 AND article_id = $2 AND sent_at IS NULL
       ORDER BY created_at, reply_id`,
      [subscriptionId, articleId],
    );
  }

  /** Is the subscription still active? Read under a share lock, so an unsubscribe waits. */
  async activeFor(tx: EntityManager, subscriptionId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM subscriptions WHERE id = $1 AND confirmed_at IS NOT NULL
         AND unsubscribed_at IS NULL FOR SHARE`,
      [subscriptionId],
    );
    return rows.length > 0;
  }

  async markSent(tx: EntityManager, replyIds: string[], now: Date): Promise<void> {
    await tx.query(`UPDATE reply_notifications SET sent_at = $2 WHERE reply_id = ANY($1::uuid[])`, [
      replyIds,
      now,
    ]);
  }

  /** Erasure: the address's subscriptions (and their proof of consent) go for good. */
  async deleteByEmailIndexes(
    tx: Pick<EntityManager, 'query'>,
    emailIndexes: Buffer[],
  ): Promise<number> {
    const result: unknown = await tx.query(
      `DELETE FROM subscriptions WHERE email_index = ANY($1::bytea[])`,
      [emailIndexes],
    );
    return affected(result);
  }

  /** Retention: subscriptions never confirmed, created before `before`. */
  async deleteUnconfirmed(before: Date): Promise<number> {
    const result: unknown = await this.db.query(
      `DELETE FROM subscriptions WHERE confirmed_at IS NULL AND created_at < $1`,
      [before],
    );
    return affected(result);
  }

  /** Export: consent records of the address. */
  findByEmailIndexes(
    emailIndexes: Buffer[],
  ): Promise<Array<{ siteId: string; confirmedAt: Date | null; unsubscribedAt: Date | null }>> {
    return this.db.query(
      `SELECT site_id AS "siteId", confirmed_at AS "confirmedAt", unsubscribed_at AS "unsubscribedAt"
       FROM subscriptions WHERE email_index = ANY($1::bytea[]) ORDER BY site_id`,
      [emailIndexes],
    );
  }
}

/** TypeORM answers an UPDATE or DELETE with `[rows, affected]` (an INSERT with the rows). */
function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
