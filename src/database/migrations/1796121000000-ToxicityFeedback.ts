import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What moderators taught the toxicity classifier (hashed feature ids per comment, no text). */
export class ToxicityFeedback1796121000000 implements MigrationInterface {
  name = 'ToxicityFeedback1796121000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "toxicity_feedback" ("comment_id" uuid NOT NULL, "label" character varying(8) NOT NULL, "feature_space" character varying(64) NOT NULL, "features" integer array NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "toxicity_feedback_label_check" CHECK (label IN ('toxic', 'clean')), CONSTRAINT "PK_8790795a0f877e109daa74e7478" PRIMARY KEY ("comment_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "toxicity_feedback_feature_space_idx" ON "toxicity_feedback"  ("feature_space") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."toxicity_feedback_feature_space_idx"`);
    await queryRunner.query(`DROP TABLE "toxicity_feedback"`);
  }
}
