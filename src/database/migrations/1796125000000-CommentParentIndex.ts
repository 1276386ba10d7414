import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index on `comments.parent_id`: the foreign key to the parent had none, so every delete of a
 * comment (retention's purge of rejected and spam comments, a privacy erase) scanned the table to
 * check for replies, which made bulk deletes quadratic.
 */
export class CommentParentIndex1796125000000 implements MigrationInterface {
  name = 'CommentParentIndex1796125000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "comments_parent_idx" ON "comments" ("parent_id") WHERE parent_id IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."comments_parent_idx"`);
  }
}
