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

  /**
   * For each author, the first active ban matching them on their site, if any: one query for
   * a batch (one row per blind index, numbered by author).
   */
  async findActiveAll(
    authors: Array<{ siteId: string; emails: Buffer[]; ips: Buffer[] }>,
    now: Date,
  ): Promise<Array<{ id: string; reason: string } | null>> {
    const author: number[] = [];
    const sites: string[] = [];
    const emails: Array<Buffer | null> = [];
    const ips: Array<Buffer | null> = [];
    authors.forEach((a, i) => {
      for (const [email, ip] of [
        ...a.emails.map((e) => [e, null] as const),
        ...a.ips.map((p) => [null, p] as const),
      ]) {
        author.push(i);
        sites.push(a.siteId);
        emails.push(email);
        ips.push(ip);
      }
    });
    const found = new Array<{ id: string; reason: string } | null>(authors.length).fill(null);
    if (author.length === 0) return found;
    const rows: Array<{ author: number; id: string; reason: string }> = await this.prepared.query(
      `SELECT DISTINCT ON (v.author) v.author, b.id, b.reason
         FROM unnest($1::int[], $2::text[], $3::bytea[], $4::bytea[])
           AS v(author, site_id, email_index, ip_index)
         JOIN bans b ON (b.site_id IS NULL OR b.site_id = v.site_id)
           AND (b.expires_at IS NULL OR b.expires_at > $5)
           AND (b.email_index = v.email_index OR b.ip_index = v.ip_index)
         ORDER BY v.author, b.created_at`,
      [author, sites, emails, ips, now],
    );
    for (const row of rows) found[row.author] = { id: row.id, reason: row.reason };
    return found;
  }

  /** Privacy erase: bans naming the address hold its blind index, so they go too. */
  async deleteByEmailIndexes(tx: Pick<EntityManager, 'query'>, emailIndexes: Buffer[]) {
    return affectedRows(
      await tx.query(`DELETE FROM bans WHERE email_index = ANY($1::bytea[])`, [emailIndexes]),
    );
  }
}
