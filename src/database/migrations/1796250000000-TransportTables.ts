import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PostgreSQL transport (REDIS_URL unset): short-lived counters (rate limits, spam velocity,
 * one-time claims) and pub/sub messages too long for a NOTIFY payload. UNLOGGED: no WAL, so
 * they cost little to write; a crash empties them, which only resets counters (as losing Redis
 * does) and loses messages nobody is waiting for any more.
 */
export class TransportTables1796250000000 implements MigrationInterface {
  name = 'TransportTables1796250000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "transport_counters" (
        "key" text PRIMARY KEY,
        "value" bigint NOT NULL,
        "expires_at" timestamptz NOT NULL
      )`,
    );
    await queryRunner.query(
      `CREATE INDEX "transport_counters_expires_at" ON "transport_counters" ("expires_at")`,
    );
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "transport_messages" (
        "id" bigserial PRIMARY KEY,
        "payload" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "transport_messages"`);
    await queryRunner.query(`DROP TABLE "transport_counters"`);
  }
}
