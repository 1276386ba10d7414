import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795822790111 implements MigrationInterface {
  name = 'InitialSchema1795822790111';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."api_token_role" AS ENUM('admin', 'moderator', 'service')`,
    );
    await queryRunner.query(
      `CREATE TABLE "api_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "role" "public"."api_token_role" NOT NULL, "site_ids" character varying(64) array, "token_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_bbd687a104e1921e6702c6e3aad" UNIQUE ("token_hash"), CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "sites" ("id" character varying(64) NOT NULL, "name" text NOT NULL, "allowed_origins" text array NOT NULL DEFAULT '{}', "settings" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4f5eccb1dfde10c9170502595a7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "articles" ("site_id" character varying(64) NOT NULL, "article_id" character varying(200) NOT NULL, "closed" boolean NOT NULL DEFAULT false, "first_comment_at" TIMESTAMP WITH TIME ZONE, "approved_count" integer NOT NULL DEFAULT '0', "thread_version" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_283178eca7fe2cb8cf2f75cf7d1" PRIMARY KEY ("site_id", "article_id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."comment_status" AS ENUM('pending', 'approved', 'held', 'rejected', 'spam', 'deleted')`,
    );
    await queryRunner.query(
      `CREATE TABLE "comments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "site_id" character varying(64) NOT NULL, "article_id" character varying(200) NOT NULL, "parent_id" uuid, "depth" smallint NOT NULL, "path" text COLLATE "C" NOT NULL, "root_key" text COLLATE "C" NOT NULL, "author_name" text, "author_website" text, "author_avatar" character varying(16), "email_ciphertext" bytea, "email_key_id" character varying(16), "email_index" bytea, "ip_index" bytea, "body" text NOT NULL, "body_html" text NOT NULL, "status" "public"."comment_status" NOT NULL DEFAULT 'pending', "spam_score" real, "spam_reasons" jsonb NOT NULL DEFAULT '[]', "moderation_reasons" jsonb NOT NULL DEFAULT '[]', "honeypot" boolean NOT NULL DEFAULT false, "pow_verified" boolean, "idempotency_key" character varying(200), "request_fingerprint" bytea, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "comments_ip_index_idx" ON "comments"  ("ip_index") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "comments_idempotency_idx" ON "comments"  ("site_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "comments_email_index_idx" ON "comments"  ("email_index", "site_id", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "comments_site_status_created_idx" ON "comments"  ("site_id", "status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "comments_status_created_idx" ON "comments"  ("status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "comments_thread_newest_idx" ON "comments"  ("site_id", "article_id", "root_key", "path") `,
    );
    await queryRunner.query(
      `CREATE INDEX "comments_thread_idx" ON "comments"  ("site_id", "article_id", "path") `,
    );
    await queryRunner.query(
      `CREATE TABLE "moderation_actions" ("id" BIGSERIAL NOT NULL, "comment_id" uuid NOT NULL, "site_id" character varying(64) NOT NULL, "actor" character varying(100) NOT NULL, "action" character varying(32) NOT NULL, "from_status" "public"."comment_status", "to_status" "public"."comment_status" NOT NULL, "reason" text, "reasons" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d259906fb4d2a5ef718f1f66e35" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "moderation_actions_comment_idx" ON "moderation_actions"  ("comment_id", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox_events" ("sequence" BIGSERIAL NOT NULL, "event_id" uuid NOT NULL, "type" character varying(64) NOT NULL, "source" character varying(100) NOT NULL, "subject" character varying(100) NOT NULL, "site_id" character varying(64) NOT NULL, "data" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "relayed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_a82c439f9dab57e098be1d83291" UNIQUE ("event_id"), CONSTRAINT "PK_fc12d2ed25d954ff240ca86231e" PRIMARY KEY ("sequence"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "outbox_events_unrelayed_idx" ON "outbox_events"  ("sequence") WHERE relayed_at IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "articles" ADD CONSTRAINT "FK_d13ecb9431bc17bcfe3d2af8934" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_66ed3a168ece7efea7a6ecd7712" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_d6f93329801a93536da4241e386" FOREIGN KEY ("parent_id") REFERENCES "comments"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_6d98e87f87a24516fe8fc4c704e" FOREIGN KEY ("site_id", "article_id") REFERENCES "articles"("site_id","article_id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "moderation_actions" ADD CONSTRAINT "FK_186bc1b7e44862f85783eab50e7" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The site every installation starts with.
    await queryRunner.query(
      `INSERT INTO "sites" ("id", "name") VALUES ('default', 'Default site') ON CONFLICT DO NOTHING`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "moderation_actions" DROP CONSTRAINT "FK_186bc1b7e44862f85783eab50e7"`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" DROP CONSTRAINT "FK_6d98e87f87a24516fe8fc4c704e"`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" DROP CONSTRAINT "FK_d6f93329801a93536da4241e386"`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" DROP CONSTRAINT "FK_66ed3a168ece7efea7a6ecd7712"`,
    );
    await queryRunner.query(
      `ALTER TABLE "articles" DROP CONSTRAINT "FK_d13ecb9431bc17bcfe3d2af8934"`,
    );
    await queryRunner.query(`DROP INDEX "public"."outbox_events_unrelayed_idx"`);
    await queryRunner.query(`DROP TABLE "outbox_events"`);
    await queryRunner.query(`DROP INDEX "public"."moderation_actions_comment_idx"`);
    await queryRunner.query(`DROP TABLE "moderation_actions"`);
    await queryRunner.query(`DROP INDEX "public"."comments_thread_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comments_thread_newest_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comments_status_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comments_site_status_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comments_email_index_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comments_idempotency_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comments_ip_index_idx"`);
    await queryRunner.query(`DROP TABLE "comments"`);
    await queryRunner.query(`DROP TYPE "public"."comment_status"`);
    await queryRunner.query(`DROP TABLE "articles"`);
    await queryRunner.query(`DROP TABLE "sites"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
    await queryRunner.query(`DROP TYPE "public"."api_token_role"`);
  }
}
