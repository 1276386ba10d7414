import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/database/database.options.js';
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
});
