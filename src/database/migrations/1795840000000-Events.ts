import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints and deliveries; outbox events get their article (per-article SSE replay)
 * and a `position` in the published log, given by the relay.
 */
export class Events1795840000000 implements MigrationInterface {
  name = 'Events1795840000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook_endpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "url" text NOT NULL, "events" character varying(64) array NOT NULL, "site_id" character varying(64), "secret_ciphertext" bytea NOT NULL, "secret_key_id" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_054c4cfb95223732f5939d2d546" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'succeeded', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "endpoint_id" uuid NOT NULL, "event_sequence" bigint NOT NULL, "event_id" uuid NOT NULL, "event_type" character varying(64) NOT NULL, "status" "public"."webhook_delivery_status" NOT NULL DEFAULT 'pending', "attempts" smallint NOT NULL DEFAULT '0', "attempt_log" jsonb NOT NULL DEFAULT '[]', "last_status_code" smallint, "last_error" text, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_created_idx" ON "webhook_deliveries"  ("created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_pending_idx" ON "webhook_deliveries"  ("next_attempt_at") WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "webhook_deliveries_endpoint_event_idx" ON "webhook_deliveries"  ("endpoint_id", "event_sequence") `,
    );
    await queryRunner.query(`DROP INDEX "public"."outbox_events_unrelayed_idx"`);
    await queryRunner.query(`ALTER TABLE "outbox_events" ADD "position" bigint`);
    await queryRunner.query(
      `ALTER TABLE "outbox_events" ADD CONSTRAINT "UQ_1617ea1e2213aa021cf2131a36d" UNIQUE ("position")`,
    );
    // Rows written before this migration are all committed: their order is their insertion order.
    await queryRunner.query(`UPDATE "outbox_events" SET "position" = "sequence"`);
    await queryRunner.query(`ALTER TABLE "outbox_events" ADD "article_id" character varying(200)`);
    // Events written before this migration: their article is in the payload.
    await queryRunner.query(
      `UPDATE "outbox_events" SET "article_id" = "data"->'comment'->>'articleId' WHERE "article_id" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "outbox_events_created_idx" ON "outbox_events"  ("created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "outbox_events_article_approved_idx" ON "outbox_events"  ("site_id", "article_id", "position") WHERE type = 'comment.approved'`,
    );
    await queryRunner.query(
      `CREATE INDEX "outbox_events_unrelayed_idx" ON "outbox_events"  ("position") WHERE relayed_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "outbox_events_unpositioned_idx" ON "outbox_events"  ("sequence") WHERE position IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c"`,
    );
    await queryRunner.query(`DROP INDEX "public"."outbox_events_unpositioned_idx"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_events_unrelayed_idx"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_events_article_approved_idx"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_events_created_idx"`);
    await queryRunner.query(`ALTER TABLE "outbox_events" DROP COLUMN "article_id"`);
    await queryRunner.query(
      `ALTER TABLE "outbox_events" DROP CONSTRAINT "UQ_1617ea1e2213aa021cf2131a36d"`,
    );
    await queryRunner.query(`ALTER TABLE "outbox_events" DROP COLUMN "position"`);
    await queryRunner.query(
      `CREATE INDEX "outbox_events_unrelayed_idx" ON "outbox_events" ("sequence") WHERE relayed_at IS NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_endpoint_event_idx"`);
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_pending_idx"`);
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_created_idx"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TYPE "public"."webhook_delivery_status"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
  }
}
