import pg from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import type { AppConfig } from '../config/app.config.js';
import { BULLMQ_SCHEMA, migrateBullSchema } from '../transport/bullmq-backend.js';
import { databaseOptions } from './database.options.js';

/** Arbitrary but fixed: every replica takes the same lock while migrating. */
const MIGRATION_LOCK_KEY = 7_331_001;

export interface PrepareLogger {
  log(message: string): void;
}

/**
 * Creates the database when it is missing (and the user may), then runs pending migrations
 * under a PostgreSQL advisory lock, so several replicas starting together migrate once. With
 * the PostgreSQL transport, BullMQ's own schema too (BullMQ's migrations, their own lock).
 */
export async function prepareDatabase(
  config: Pick<AppConfig, 'database'> & Partial<Pick<AppConfig, 'transport'>>,
  logger: PrepareLogger,
): Promise<void> {
  await createDatabaseIfMissing(config.database.url, logger);
  if (config.transport === 'postgres') {
    const version = await migrateBullSchema(config.database.url);
    logger.log(`BullMQ schema "${BULLMQ_SCHEMA}" at version ${version}`);
  }
  const dataSource = new DataSource({ ...databaseOptions(config), extra: { max: 2 } });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await reportMigrationProgress(dataSource, lock, logger);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length) {
        logger.log(`Applied migrations: ${applied.map((m) => m.name).join(', ')}`);
      }
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}

/**
 * Says which migrations will run and logs each one as it starts and ends (a long migration
 * otherwise looks like a hung start).
 */
async function reportMigrationProgress(
  dataSource: DataSource,
  runner: QueryRunner,
  logger: PrepareLogger,
): Promise<void> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const executed = new Set<string>(
    await runner
      .query(`SELECT name FROM ${pg.escapeIdentifier(table)}`)
      .then((rows: Array<{ name: string }>) => rows.map((r) => r.name))
      .catch(() => []),
  );
  const pending = dataSource.migrations.filter((m) => !executed.has(m.name ?? m.constructor.name));
  if (!pending.length) return;
  logger.log(`Running ${pending.length} migration(s)…`);
  pending.forEach((migration, i) => {
    const up = migration.up.bind(migration);
    const name = migration.name ?? migration.constructor.name;
    migration.up = async (queryRunner) => {
      const started = Date.now();
      logger.log(`Migration ${i + 1}/${pending.length}: ${name}…`);
      await up(queryRunner);
      logger.log(
        `Migration ${i + 1}/${pending.length}: ${name} done in ${Date.now() - started} ms`,
      );
    };
  });
}

async function createDatabaseIfMissing(url: string, logger: PrepareLogger): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  try {
    await client.connect();
  } catch {
    // No maintenance database we may reach: assume the target exists; connecting will tell.
    return;
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    logger.log(`Created database "${name}"`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 42P04 or 23505 (pg_database's unique index): another replica created it meanwhile;
    // 42501: not allowed to create databases (then it is an operator's job).
    if (code !== '42P04' && code !== '23505' && code !== '42501') throw error;
  } finally {
    await client.end();
  }
}
