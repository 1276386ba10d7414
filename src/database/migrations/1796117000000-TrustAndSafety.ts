import { MigrationInterface, QueryRunner } from 'typeorm';

export class TrustAndSafety1796117000000 implements MigrationInterface {
  name = 'TrustAndSafety1796117000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "comment_revisions" ("id" BIGSERIAL NOT NULL, "comment_id" uuid NOT NULL, "body" text NOT NULL, "body_html" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bc0332e55296986d300413ff053" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "comment_revisions_comment_idx" ON "comment_revisions"  ("comment_id", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "appeals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "comment_id" uuid NOT NULL, "site_id" character varying(64) NOT NULL, "decision_id" bigint NOT NULL, "message" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "decided_at" TIMESTAMP WITH TIME ZONE, "decided_by" character varying(100), "reason" text, CONSTRAINT "PK_ebd2050a02aa78081b5346152bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "appeals_comment_idx" ON "appeals"  ("comment_id") `);
    await queryRunner.query(
      `CREATE INDEX "appeals_site_status_created_idx" ON "appeals"  ("site_id", "status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "appeals_decision_idx" ON "appeals"  ("decision_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "comment_flags" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "comment_id" uuid NOT NULL, "site_id" character varying(64) NOT NULL, "reader_key" bytea, "reason" character varying(32) NOT NULL, "detail" text, "email_ciphertext" bytea, "email_key_id" character varying(16), "email_index" bytea, "status" character varying(16) NOT NULL DEFAULT 'open', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8cfc54ed41b4270f518003c45e1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "comment_flags_site_created_idx" ON "comment_flags"  ("site_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "comment_flags_open_idx" ON "comment_flags"  ("comment_id") WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "comment_flags_reader_idx" ON "comment_flags"  ("comment_id", "reader_key") `,
    );
    await queryRunner.query(
      `CREATE INDEX "comment_flags_email_index_idx" ON "comment_flags"  ("email_index") WHERE email_index IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "comments" ADD "edited_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "moderation_actions" ADD "reason_code" character varying(32)`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment_revisions" ADD CONSTRAINT "FK_4eecc11a07ab668994e90b29e2e" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "appeals" ADD CONSTRAINT "FK_401b056d27b3b6ac4f821a60a0a" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment_flags" ADD CONSTRAINT "FK_4902c7e19d3593232f22b9efd00" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "comment_flags" DROP CONSTRAINT "FK_4902c7e19d3593232f22b9efd00"`,
    );
    await queryRunner.query(
      `ALTER TABLE "appeals" DROP CONSTRAINT "FK_401b056d27b3b6ac4f821a60a0a"`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment_revisions" DROP CONSTRAINT "FK_4eecc11a07ab668994e90b29e2e"`,
    );
    await queryRunner.query(`ALTER TABLE "moderation_actions" DROP COLUMN "reason_code"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "edited_at"`);
    await queryRunner.query(`DROP INDEX "public"."comment_flags_email_index_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comment_flags_reader_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comment_flags_open_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comment_flags_site_created_idx"`);
    await queryRunner.query(`DROP TABLE "comment_flags"`);
    await queryRunner.query(`DROP INDEX "public"."appeals_decision_idx"`);
    await queryRunner.query(`DROP INDEX "public"."appeals_site_status_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."appeals_comment_idx"`);
    await queryRunner.query(`DROP TABLE "appeals"`);
    await queryRunner.query(`DROP INDEX "public"."comment_revisions_comment_idx"`);
    await queryRunner.query(`DROP TABLE "comment_revisions"`);
  }
}
