import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Bans (by email or IP blind index) and the audit log of non-comment actions. */
export class Moderation1795830000000 implements MigrationInterface {
  name = 'Moderation1795830000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "bans" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "site_id" character varying(64), "email_index" bytea, "value_ciphertext" bytea NOT NULL, "value_key_id" character varying(16) NOT NULL, "ip_index" bytea, "reason" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "created_by" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a4d6f261bffa4615c62d756566a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "bans_ip_index_idx" ON "bans"  ("ip_index") WHERE ip_index IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "bans_email_index_idx" ON "bans"  ("email_index") WHERE email_index IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "actor" character varying(100) NOT NULL, "action" character varying(64) NOT NULL, "target_type" character varying(32) NOT NULL, "target_id" character varying(200), "site_id" character varying(64), "reason" text, "details" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_log_target_idx" ON "audit_log"  ("target_type", "target_id", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."audit_log_target_idx"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP INDEX "public"."bans_email_index_idx"`);
    await queryRunner.query(`DROP INDEX "public"."bans_ip_index_idx"`);
    await queryRunner.query(`DROP TABLE "bans"`);
  }
}
