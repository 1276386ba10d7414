import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { affectedRows } from '../database/affected-rows.js';
import { PreparedQueries } from '../database/prepared-queries.js';

export interface BanRow {
  id: string;
  siteId: string | null;
  emailIndex: Buffer | null;
  ipIndex: Buffer | null;
  /** Legacy only (bans made before hashes-only); null once `BansService` masked it. */
  valueCiphertext: Buffer | null;
  valueKeyId: string | null;
  emailMasked: string | null;
  ipMasked: string | null;
  reason: string;
  expiresAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

const BAN = `id, site_id AS "siteId", email_index AS "emailIndex", ip_index AS "ipIndex",
  value_ciphertext AS "valueCiphertext", value_key_id AS "valueKeyId",
  email_masked AS "emailMasked", ip_masked AS "ipMasked", reason,
  expires_at AS "expiresAt", created_by AS "createdBy", created_at AS "createdAt"`;

@Injectable()
export class BansRepository {
  /** Every moderated comment asks `findActive`: prepared once. */
  private readonly prepared: PreparedQueries;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.prepared = new PreparedQueries(db);
  }

  /** A ban holds keyed hashes and masked forms only: never the address itself. */
  async insert(
    ban: Omit<BanRow, 'id' | 'createdAt' | 'valueCiphertext' | 'valueKeyId'>,
  ): Promise<BanRow> {
    const rows: BanRow[] = await this.db.query(
      `INSERT INTO bans (site_id, email_index, ip_index, email_masked, ip_masked, reason,
         expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${BAN}`,
      [
        ban.siteId,
        ban.emailIndex,
        ban.ipIndex,
        ban.emailMasked,
        ban.ipMasked,
        ban.reason,
        ban.expiresAt,
        ban.createdBy,
      ],
    );
    return rows[0];
  }

  /** Bans still holding the encrypted address (made before hashes-only), a batch at a time. */
  findLegacy(limit: number): Promise<Array<{ id: string; ciphertext: Buffer; keyId: string }>> {
    return this.db.query(
      `SELECT id, value_ciphertext AS ciphertext, value_key_id AS "keyId" FROM bans
       WHERE value_ciphertext IS NOT NULL ORDER BY id LIMIT $1`,
      [limit],
    );
  }

  /** Replaces a legacy ban's encrypted address by its masked forms (hashes recomputed). */
  async replaceLegacyValue(
    id: string,
    masked: {
      emailMasked: string | null;
      ipMasked: string | null;
      emailIndex: Buffer | null;
      ipIndex: Buffer | null;
    },
  ): Promise<void> {
    await this.db.query(
      `UPDATE bans SET email_masked = $2, ip_masked = $3, email_index = $4, ip_index = $5,
         value_ciphertext = NULL, value_key_id = NULL
       WHERE id = $1`,
      [id, masked.emailMasked, masked.ipMasked, masked.emailIndex, masked.ipIndex],
    );
  }

  /** Bans of an address (by its blind indexes), for a privacy export. */
  findByEmailIndexes(emailIndexes: Buffer[]): Promise<BanRow[]> {
    return this.db.query(
      `SELECT ${BAN} FROM bans WHERE email_index = ANY($1::bytea[]) ORDER BY created_at, id`,
      [emailIndexes],
    );
  }

  /** Bans that apply on these sites (null: all), newest first. */
  list(siteIds: string[] | null): Promise<BanRow[]> {
    return this.db.query(
      `SELECT ${BAN} FROM bans
       WHERE $1::varchar[] IS NULL OR site_id IS NULL OR site_id = ANY($1::varchar[])
       ORDER BY created_at DESC, id LIMIT 1000`,
      [siteIds],
    );
  }

  async findById(id: string): Promise<BanRow | null> {
    const rows: BanRow[] = await this.db.query(`SELECT ${BAN} FROM bans WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async delete(id: string): Promise<void> {
    await this.db.query(`DELETE FROM bans WHERE id = $1`, [id]);
  }

  /** The first active ban matching the author on the site, if any. */
  async findActive(
    siteId: string,
    emailIndexes: Buffer[],
    ipIndexes: Buffer[],
    now: Date,
  ): Promise<{ id: string; reason: string } | null> {
    const rows: Array<{ id: string; reason: string }> = await this.prepared.query(
      `SELECT id, reason FROM bans
       WHERE (site_id IS NULL OR site_id = $1) AND (expires_at IS NULL OR expires_at > $4)
         AND (email_index = ANY($2::bytea[]) OR ip_index = ANY($3::bytea[]))
       ORDER BY created_at LIMIT 1`,
      [siteId, emailIndexes, ipIndexes, now],
    );
    return rows[0] ?? null;
  }

  /** Privacy erase: bans naming the address hold its blind index, so they go too. */
  async deleteByEmailIndexes(tx: Pick<EntityManager, 'query'>, emailIndexes: Buffer[]) {
    return affectedRows(
      await tx.query(`DELETE FROM bans WHERE email_index = ANY($1::bytea[])`, [emailIndexes]),
    );
  }
}
