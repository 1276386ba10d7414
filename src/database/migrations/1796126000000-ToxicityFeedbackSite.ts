import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `toxicity_feedback.site_id`: a lesson to the toxicity model changes scores on its own site
 * only, as spam lessons do (filled in from the comments for lessons stored before).
 */
export class ToxicityFeedbackSite1796126000000 implements MigrationInterface {
  name = 'ToxicityFeedbackSite1796126000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "toxicity_feedback" ADD "site_id" character varying(64)`);
    await queryRunner.query(
      `UPDATE "toxicity_feedback" f SET "site_id" = c."site_id" FROM "comments" c
       WHERE c."id" = f."comment_id"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "toxicity_feedback" DROP COLUMN "site_id"`);
  }
}
