import { createHash } from 'node:crypto';
import type { Pool, QueryResult } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * The hot statements of the service, as named prepared statements on the pool that TypeORM
 * opened: PostgreSQL parses and plans each once per connection instead of on every call, and
 * no query runner is set up around it. Answers like `DataSource.query` (rows, or
 * `[rows, affected]` for UPDATE and DELETE), so a repository can swap one for the other.
 *
 * Only for statements whose text is a constant: each distinct text is prepared on every
 * connection of the pool and stays there.
 */
export class PreparedQueries {
  private readonly names = new Map<string, string>();

  constructor(private readonly db: DataSource) {}

  async query<T = unknown>(text: string, values: unknown[] = []): Promise<T> {
    const result: QueryResult = await this.pool().query({
      name: this.nameOf(text),
      text,
      values,
    });
    return (
      result.command === 'UPDATE' || result.command === 'DELETE'
        ? [result.rows, result.rowCount ?? 0]
        : result.rows
    ) as T;
  }

  private pool(): Pool {
    const pool = (this.db.driver as PostgresDriver).master as Pool | undefined;
    if (!pool) throw new Error('The database is not connected');
    return pool;
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (!name) {
      name = `q_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      this.names.set(text, name);
    }
    return name;
  }
}
