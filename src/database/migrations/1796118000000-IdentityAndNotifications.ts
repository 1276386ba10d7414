import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SSO identities and reply notifications (issue 18): double opt-in subscriptions, batches. */

export class IdentityAndNotifications1796118000000 implements MigrationInterface {
  name = 'IdentityAndNotifications1796118000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "subscriptions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "site_id" character varying(64) NOT NULL, "email_index" bytea NOT NULL, "confirmation_sent_at" TIMESTAMP WITH TIME ZONE, "confirmation_job" character varying(200), "confirmed_at" TIMESTAMP WITH TIME ZONE, "unsubscribed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a87248d73155605cf782be9ee5e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "subscriptions_email_idx" ON "subscriptions"  ("email_index") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "subscriptions_site_email_idx" ON "subscriptions"  ("site_id", "email_index") `,
    );
    await queryRunner.query(
      `CREATE TABLE "reply_notifications" ("reply_id" uuid NOT NULL, "subscription_id" uuid NOT NULL, "parent_id" uuid NOT NULL, "article_id" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_865d0b078013ab00a34fafb3f66" PRIMARY KEY ("reply_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "reply_notifications_unsent_idx" ON "reply_notifications"  ("subscription_id", "article_id") WHERE sent_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "mail_windows" ("key" character varying(300) NOT NULL, "last_sent_at" TIMESTAMP WITH TIME ZONE, "covered_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d4e02bc93dda6ded520267d16c5" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(`ALTER TABLE "comments" ADD "identity_sub" character varying(255)`);
    await queryRunner.query(
      `ALTER TABLE "comments" ADD "notify_replies" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(
      `CREATE INDEX "comments_identity_sub_idx" ON "comments"  ("identity_sub", "site_id", "status") WHERE identity_sub IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscriptions" ADD CONSTRAINT "FK_a59e0d05e3fbb957f5697db9e43" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reply_notifications" ADD CONSTRAINT "FK_593ecb42601de07c774ded7c2e4" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "reply_notifications" DROP CONSTRAINT "FK_593ecb42601de07c774ded7c2e4"`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscriptions" DROP CONSTRAINT "FK_a59e0d05e3fbb957f5697db9e43"`,
    );
    await queryRunner.query(`DROP INDEX "public"."comments_identity_sub_idx"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "notify_replies"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "identity_sub"`);
    await queryRunner.query(`DROP TABLE "mail_windows"`);
    await queryRunner.query(`DROP INDEX "public"."reply_notifications_unsent_idx"`);
    await queryRunner.query(`DROP TABLE "reply_notifications"`);
    await queryRunner.query(`DROP INDEX "public"."subscriptions_site_email_idx"`);
    await queryRunner.query(`DROP INDEX "public"."subscriptions_email_idx"`);
    await queryRunner.query(`DROP TABLE "subscriptions"`);
  }
}
