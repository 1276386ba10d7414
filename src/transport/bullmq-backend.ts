import {
  createPostgresBackend,
  runMigrations,
  setDefaultBackendFactory,
  type ConnectionOptions,
  type PostgresPoolConfig,
} from 'bullmq';
import pg from 'pg';
import type { AppConfig } from '../config/app.config.js';

/** The schema BullMQ's PostgreSQL backend keeps its queues in (its migrations create it). */
export const BULLMQ_SCHEMA = 'bullmq';
/**
 * Query connections of each Queue and Worker (a Worker adds one for LISTEN). Small: the service
 * has five queues, and their jobs are short.
 */
const POOL_SIZE_PER_QUEUE = 3;

/**
 * Points every BullMQ Queue and Worker of this process at the chosen transport. Process-wide
 * (BullMQ's default backend factory): @nestjs/bullmq builds the queues without a factory of
 * their own. Called before any queue exists.
 */
export function selectBullBackend(config: Pick<AppConfig, 'transport'>): void {
  setDefaultBackendFactory(config.transport === 'postgres' ? createPostgresBackend : undefined);
}

/** The `connection` every Queue and Worker gets. */
export function bullConnection(
  config: Pick<AppConfig, 'transport' | 'redis' | 'database' | 'role'>,
): ConnectionOptions {
  if (config.transport === 'redis') return { url: config.redis.url };
  const postgres: PostgresPoolConfig = {
    connectionString: config.database.url,
    schema: BULLMQ_SCHEMA,
    skipMigrations: true,
    max: POOL_SIZE_PER_QUEUE,
    idleTimeoutMillis: 10_000,
    keepAlive: true,
    application_name: `comments-${config.role}-bullmq`,
  };
  // The options type is Redis's (@nestjs/bullmq's); the PostgreSQL backend takes a pool config.
  return postgres as unknown as ConnectionOptions;
}

/** Creates or upgrades BullMQ's schema (under its own advisory lock; idempotent). */
export async function migrateBullSchema(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await runMigrations(client, BULLMQ_SCHEMA);
  } finally {
    await client.end();
  }
}
