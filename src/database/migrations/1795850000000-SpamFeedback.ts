import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What moderators taught the spam classifier (hashed feature ids per comment, no text). */
export class SpamFeedback1795850000000 implements MigrationInterface {
  name = 'SpamFeedback1795850000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "spam_feedback" ("comment_id" uuid NOT NULL, "label" character varying(8) NOT NULL, "feature_space" character varying(64) NOT NULL, "features" integer array NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "spam_feedback_label_check" CHECK (label IN ('spam', 'ham')), CONSTRAINT "PK_736598a17ca0fb34d71547a9b5f" PRIMARY KEY ("comment_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "spam_feedback_feature_space_idx" ON "spam_feedback"  ("feature_space") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."spam_feedback_feature_space_idx"`);
    await queryRunner.query(`DROP TABLE "spam_feedback"`);
  }
}
