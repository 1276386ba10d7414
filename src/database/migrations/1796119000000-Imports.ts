import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Imports: where each imported comment came from, and uploaded imports with their file. */
export class Imports1796119000000 implements MigrationInterface {
  name = 'Imports1796119000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "comment_sources" ("comment_id" uuid NOT NULL, "site_id" character varying(64) NOT NULL, "format" character varying(16) NOT NULL, "source_id" text NOT NULL, CONSTRAINT "PK_0c9f407b081250154b434cc00a5" PRIMARY KEY ("comment_id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "comment_sources_source_idx" ON "comment_sources"  ("site_id", "format", "source_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "imports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "site_id" character varying(64) NOT NULL, "format" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "actor" character varying(100) NOT NULL, "bytes" bigint NOT NULL DEFAULT '0', "progress" jsonb NOT NULL DEFAULT '{}', "summary" jsonb, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_ea10c62f5eb1d75e83d8b5225db" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "imports_created_idx" ON "imports"  ("created_at") `);
    await queryRunner.query(
      `CREATE TABLE "import_chunks" ("import_id" uuid NOT NULL, "seq" integer NOT NULL, "data" bytea NOT NULL, CONSTRAINT "PK_17be9951f9d1f93f12d19a577d8" PRIMARY KEY ("import_id", "seq"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment_sources" ADD CONSTRAINT "FK_0c9f407b081250154b434cc00a5" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "import_chunks" ADD CONSTRAINT "FK_063de3b8d36d5e547605d30f87f" FOREIGN KEY ("import_id") REFERENCES "imports"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "import_chunks" DROP CONSTRAINT "FK_063de3b8d36d5e547605d30f87f"`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment_sources" DROP CONSTRAINT "FK_0c9f407b081250154b434cc00a5"`,
    );
    await queryRunner.query(`DROP TABLE "import_chunks"`);
    await queryRunner.query(`DROP INDEX "public"."imports_created_idx"`);
    await queryRunner.query(`DROP TABLE "imports"`);
    await queryRunner.query(`DROP INDEX "public"."comment_sources_source_idx"`);
    await queryRunner.query(`DROP TABLE "comment_sources"`);
  }
}
