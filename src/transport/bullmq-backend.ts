import {
  createRedisBackend,
  PostgresConnection,
  PostgresQueueBackend,
  quoteSchemaName,
  runMigrations,
  setDefaultBackendFactory,
  type BackendFactory,
  type ConnectionOptions,
  type PostgresConnectionOptions,
  type QueueBaseOptions,
} from 'bullmq';
import pg from 'pg';
import type { AppConfig } from '../config/app.config.js';

/** The schema BullMQ's PostgreSQL backend keeps its queues in (its migrations create it). */
export const BULLMQ_SCHEMA = 'bullmq';
/**
 * Connections of the pool every Queue and Worker of a process shares: each worker keeps one
 * for LISTEN (five queues), the rest carry the queries.
 */
const SHARED_POOL_SIZE = 12;

/**
 * One pg pool for every BullMQ Queue and Worker of the process (BullMQ would open a pool of
 * its own for each, some 30 connections for our five queues). Opened with the first backend,
 * ended when the last one closes.
 */
class SharedPool {
  private pool: pg.Pool | null = null;
  private users = 0;

  constructor(private readonly config: pg.PoolConfig) {}

  acquire(): pg.Pool {
    this.users++;
    this.pool ??= new pg.Pool(this.config);
    return this.pool;
  }

  release(): Promise<void> {
    if (--this.users > 0 || !this.pool) return Promise.resolve();
    const pool = this.pool;
    this.pool = null;
    return pool.end().catch(() => undefined);
  }
}

/** BullMQ's PostgreSQL backend on the shared pool, giving its share back when closed. */
class SharedPoolBackend extends PostgresQueueBackend {
  private released = false;

  constructor(
    private readonly shared: SharedPool,
    queueName: string,
    opts: QueueBaseOptions<PostgresConnectionOptions>,
    listenClientName: string | undefined,
  ) {
    const pool = shared.acquire();
    super(
      new PostgresConnection(pool),
      queueName,
      { ...opts, connection: pool },
      true,
      listenClientName,
    );
  }

  override async close(force = false): Promise<void> {
    await super.close(force);
    if (this.released) return;
    this.released = true;
    await this.shared.release();
  }
}

/**
 * The factory of BullMQ's `createPostgresBackend`, on one shared pool: a worker's LISTEN
 * connection is named as BullMQ names it (so `getWorkers` finds it).
 */
function sharedPostgresBackend(shared: SharedPool): BackendFactory {
  const factory: BackendFactory<PostgresQueueBackend, PostgresConnectionOptions> = (
    name,
    opts,
    options = {},
  ) => {
    const worker = (opts as { name?: string }).name;
    const listenClientName = options.withBlockingConnection
      ? `${name}${worker ? `:w:${worker}` : ''}`
      : options.blocking
        ? `${name}:qe`
        : undefined;
    return new SharedPoolBackend(shared, name, opts, listenClientName);
  };
  return factory as unknown as BackendFactory;
}

/**
 * Points every BullMQ Queue and Worker of this process at the chosen transport. Process-wide
 * (BullMQ's default backend factory): @nestjs/bullmq builds the queues without a factory of
 * their own. Called before any queue exists.
 */
export function selectBullBackend(
  config: Pick<AppConfig, 'transport' | 'database' | 'role'>,
): void {
  if (config.transport === 'redis') {
    setDefaultBackendFactory(createRedisBackend);
    return;
  }
  const shared = new SharedPool({
    connectionString: config.database.url,
    max: SHARED_POOL_SIZE,
    idleTimeoutMillis: 10_000,
    // A dropped LISTEN connection must surface as an error (BullMQ then rebuilds it).
    keepAlive: true,
    options: `-c search_path=${quoteSchemaName(BULLMQ_SCHEMA)}`,
    application_name: `comments-${config.role}-bullmq`,
  });
  setDefaultBackendFactory(sharedPostgresBackend(shared));
}

/**
 * The `connection` every Queue and Worker gets: Redis's URL, or (PostgreSQL transport) a
 * placeholder the shared-pool factory replaces.
 */
export function bullConnection(config: Pick<AppConfig, 'transport' | 'redis'>): ConnectionOptions {
  if (config.transport === 'redis') return { url: config.redis.url };
  // @nestjs/bullmq types it as Redis options (any object passes); the PostgreSQL factory
  // ignores it.
  const ignored: ConnectionOptions = { schema: BULLMQ_SCHEMA };
  return ignored;
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
