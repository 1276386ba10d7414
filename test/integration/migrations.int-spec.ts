import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/database/database.options.js';
import { WebhookDeliveryPositions1796260000000 } from '../../src/database/migrations/1796260000000-WebhookDeliveryPositions.js';
import { prepareDatabase } from '../../src/database/prepare-database.js';
import { isolatedNames, PG_SERVER } from '../utils/test-app.js';

describe('migrations', () => {
  const { database } = isolatedNames();
  const config = { database: { url: `${PG_SERVER}/${database}`, poolSize: 2 } };
  const logger = new Logger('test');
  logger.log = () => undefined;

  it('create the database, run once under a lock when replicas start together, and seed the default site', async () => {
    await Promise.all([
      prepareDatabase(config, logger),
      prepareDatabase(config, logger),
      prepareDatabase(config, logger),
    ]);
    const db = new DataSource(databaseOptions(config));
    await db.initialize();
    try {
      const migrations = await db.query(`SELECT name FROM migrations`);
      expect(migrations.length).toBe(db.migrations.length);
      const sites = await db.query(`SELECT id FROM sites`);
      expect(sites).toEqual([{ id: 'default' }]);
    } finally {
      await db.destroy();
    }
  });

  it('agree with the entities: no schema change is pending', async () => {
    const db = new DataSource(databaseOptions(config));
    await db.initialize();
    try {
      const pending = await db.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
  it('re-point stored webhook deliveries at their own events by log position', async () => {
    const db = new DataSource(databaseOptions(config));
    await db.initialize();
    try {
      // Two events whose insertion order and log positions are swapped, and deliveries the
      // old fan-out numbered by insertion order: a one-step rewrite would collide on the
      // (endpoint, sequence) index.
      const [{ id: endpoint }] = await db.query(
        `INSERT INTO webhook_endpoints (url, events, secret_ciphertext, secret_key_id)
         VALUES ('https://hooks.example/x', '{comment.approved}', '\\x00', 'k1') RETURNING id`,
      );
      const events = [
        { id: '00000000-0000-4000-8000-00000000000a', sequence: 900001, position: 900002 },
        { id: '00000000-0000-4000-8000-00000000000b', sequence: 900002, position: 900001 },
      ];
      for (const e of events) {
        await db.query(
          `INSERT INTO outbox_events (sequence, position, event_id, type, source, subject,
                                      site_id, data)
           VALUES ($1, $2, $3, 'comment.approved', '/sites/default', 'comments/x', 'default', '{}')`,
          [e.sequence, e.position, e.id],
        );
        await db.query(
          `INSERT INTO webhook_deliveries (endpoint_id, event_sequence, event_id, event_type)
           VALUES ($1, $2, $3, 'comment.approved')`,
          [endpoint, e.sequence, e.id],
        );
      }
      await new WebhookDeliveryPositions1796260000000().up(db.createQueryRunner());
      const rows: { event_id: string; s: string }[] = await db.query(
        `SELECT event_id, event_sequence::text AS s FROM webhook_deliveries ORDER BY event_id`,
      );
      expect(rows).toEqual(events.map((e) => ({ event_id: e.id, s: String(e.position) })));
    } finally {
      await db.destroy();
    }
  });
});
