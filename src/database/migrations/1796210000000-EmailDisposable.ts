import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `comments.email_disposable`: intake decides whether the author's address is at a
 * disposable-mail domain while the address is in clear, so the spam worker no longer decrypts
 * it. Comments stored before count as not disposable (the address is encrypted; only comments
 * still pending at the upgrade lose that one signal).
 */
export class EmailDisposable1796210000000 implements MigrationInterface {
  name = 'EmailDisposable1796210000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "comments" ADD "email_disposable" boolean NOT NULL DEFAULT false`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "email_disposable"`);
  }
}
