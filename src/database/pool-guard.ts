import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * When PostgreSQL ends a connection (restart, failover, pg_terminate_backend), `pg` emits
 * `error` on its client. pg-pool and TypeORM listen while a client is idle or running a query,
 * but there is a moment between the two when nobody does, and an unheard `error` event ends
 * the process. Every pooled client gets a listener of its own: the query in flight still fails
 * (and is retried by its job, or answered 5xx), the pool drops the dead client, the process
 * lives on.
 */
@Injectable()
export class PoolGuard implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectPinoLogger(PoolGuard.name) private readonly logger: PinoLogger,
  ) {}

  onModuleInit(): void {
    const pool = (this.db.driver as unknown as { master?: Pool }).master;
    if (!pool) return;
    const guard = (client: PoolClient) =>
      client.on('error', (error: Error) =>
        this.logger.warn({ err: error.message }, 'A database connection ended'),
      );
    pool.on('connect', guard);
    for (const client of (pool as unknown as { _clients?: PoolClient[] })._clients ?? []) {
      guard(client);
    }
  }
}
