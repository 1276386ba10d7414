import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 (security and privacy hardening):
 * - `outbox_events.subject` is indexed: a take-down redacts the events stored about its comment
 *   in the same statement as the status change;
 * - `comments.trust_receipts`: ids of the author's earlier comments whose receipts came with the
 *   submission (verified at intake); the moderation worker trusts the author if one of them is
 *   approved on the site (trusted mode), instead of trusting an unverified address;
 * - `spam_feedback.site_id`: a lesson changes scores on its own site only (filled in from the
 *   comments for lessons stored before);
 * - bans keep a masked form of the email or address for listings; the encrypted value becomes
 *   optional and is dropped by the service at start (`BansService`): bans hold keyed hashes only;
 * - `api_tokens.expires_at`: a token may expire (refused afterwards; its open streams end).
 */
export class SecurityHardening1796113000000 implements MigrationInterface {
  name = 'SecurityHardening1796113000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "outbox_events_subject_idx" ON "outbox_events" ("subject") `,
    );
    await queryRunner.query(`ALTER TABLE "comments" ADD "trust_receipts" uuid array`);
    await queryRunner.query(`ALTER TABLE "spam_feedback" ADD "site_id" character varying(64)`);
    await queryRunner.query(
      `UPDATE "spam_feedback" f SET "site_id" = c."site_id" FROM "comments" c
       WHERE c."id" = f."comment_id"`,
    );
    await queryRunner.query(`ALTER TABLE "bans" ADD "email_masked" character varying(254)`);
    await queryRunner.query(`ALTER TABLE "bans" ADD "ip_masked" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "bans" ALTER COLUMN "value_ciphertext" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "bans" ALTER COLUMN "value_key_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "api_tokens" ADD "expires_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP COLUMN "expires_at"`);
    await queryRunner.query(`DELETE FROM "bans" WHERE "value_ciphertext" IS NULL`);
    await queryRunner.query(`ALTER TABLE "bans" ALTER COLUMN "value_key_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "bans" ALTER COLUMN "value_ciphertext" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "bans" DROP COLUMN "ip_masked"`);
    await queryRunner.query(`ALTER TABLE "bans" DROP COLUMN "email_masked"`);
    await queryRunner.query(`ALTER TABLE "spam_feedback" DROP COLUMN "site_id"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "trust_receipts"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_events_subject_idx"`);
  }
}
