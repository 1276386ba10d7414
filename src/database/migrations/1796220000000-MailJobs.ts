import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `mail_jobs`: the record of every mail job (ids only), so the mail sweeper can queue again a
 * job Redis lost, as the pending sweeper does for comments and the delivery sweeper for webhooks.
 */
export class MailJobs1796220000000 implements MigrationInterface {
  name = 'MailJobs1796220000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "mail_jobs" ("id" character varying(200) NOT NULL, "data" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, "outcome" character varying(16), CONSTRAINT "PK_00b07e7a4a840474700d5dbf90e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "mail_jobs_unfinished_idx" ON "mail_jobs" ("created_at") WHERE "finished_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."mail_jobs_unfinished_idx"`);
    await queryRunner.query(`DROP TABLE "mail_jobs"`);
  }
}
