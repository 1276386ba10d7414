import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `webhook_deliveries.event_sequence` is the event's public sequence (its log `position`), as
 * the deliveries API shows it and as each attempt reads the event back. The fan-out used to
 * write, and match on, the insertion-order `outbox_events.sequence` instead: equal while
 * writers never overlap, different once they do (group commit), so an endpoint could get the
 * wrong event's body and miss the right one. This re-points every stored delivery at its own
 * event (by `event_id`, which was always right). Two steps, because the unique index on
 * (endpoint_id, event_sequence) is checked row by row: negative values never collide with
 * positions.
 */
export class WebhookDeliveryPositions1796260000000 implements MigrationInterface {
  name = 'WebhookDeliveryPositions1796260000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "webhook_deliveries" d SET "event_sequence" = -o."position"
       FROM "outbox_events" o
       WHERE o."event_id" = d."event_id" AND o."position" IS NOT NULL
         AND d."event_sequence" <> o."position"`,
    );
    await queryRunner.query(
      `UPDATE "webhook_deliveries" SET "event_sequence" = -"event_sequence"
       WHERE "event_sequence" < 0`,
    );
  }

  public async down(): Promise<void> {
    // Nothing to undo: the old values were wrong, and the old code reads positions too.
  }
}
