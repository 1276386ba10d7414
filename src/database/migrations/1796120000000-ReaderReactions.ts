import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 20: featured comments (`comments.featured_at`, with a partial index for
 * `?featured=true`), readers' reactions (one row per reader, comment and type) and their
 * sharded counters (see CommentReactionCountEntity).
 */
export class ReaderReactions1796120000000 implements MigrationInterface {
  name = 'ReaderReactions1796120000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "comment_reactions" ("comment_id" uuid NOT NULL, "type" character varying(16) NOT NULL, "reader" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "comment_reactions_type_check" CHECK (type IN ('like')), CONSTRAINT "PK_ca4c56dfbba1695802e0debe713" PRIMARY KEY ("comment_id", "type", "reader"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "comment_reaction_counts" ("comment_id" uuid NOT NULL, "type" character varying(16) NOT NULL, "shard" smallint NOT NULL, "n" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_1b513a69fc384f4853fd7a03db3" PRIMARY KEY ("comment_id", "type", "shard"))`,
    );
    await queryRunner.query(`ALTER TABLE "comments" ADD "featured_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "comments_featured_idx" ON "comments"  ("site_id", "article_id", "path") WHERE featured_at IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."comments_featured_idx"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "featured_at"`);
    await queryRunner.query(`DROP TABLE "comment_reaction_counts"`);
    await queryRunner.query(`DROP TABLE "comment_reactions"`);
  }
}
