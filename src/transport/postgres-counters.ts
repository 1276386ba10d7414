import type { DataSource } from 'typeorm';
import { affectedRows } from '../database/affected-rows.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import { Counters, type CounterHit } from '../redis/counters.js';

/** Expired rows are deleted at most this often (by whichever call comes along). */
const SWEEP_EVERY_MS = 60_000;

/**
 * Counters in the UNLOGGED table `transport_counters` (PostgreSQL transport). A fixed window
 * as with Redis's INCR + PEXPIRE NX: the first add of a missing or expired key starts it. All
 * counters of one call go in one statement, keys sorted so that concurrent calls lock rows in
 * the same order (no deadlock).
 */
export class PostgresCounters extends Counters {
  private lastSweep = Date.now();

  constructor(
    private readonly db: DataSource,
    private readonly keys: RedisKeys,
  ) {
    super();
  }

  async hit(counters: readonly CounterHit[]): Promise<number[]> {
    if (!counters.length) return [];
    const names = counters.map(({ key }) => this.keys.key(...key));
    const adds = new Map<string, { by: number; ttlMs: number }>();
    for (const [i, { ttlMs }] of counters.entries()) {
      const key = names[i];
      const add = adds.get(key);
      if (add) add.by++;
      else adds.set(key, { by: 1, ttlMs });
    }
    const keys = [...adds.keys()].sort();
    const rows = await this.db.query<Array<{ key: string; value: string }>>(
      `INSERT INTO transport_counters AS c (key, value, expires_at)
       SELECT u.key, u.by, now() + u.ttl * interval '1 millisecond'
       FROM unnest($1::text[], $2::int[], $3::bigint[]) AS u(key, by, ttl)
       ON CONFLICT (key) DO UPDATE SET
         value = CASE WHEN c.expires_at <= now() THEN EXCLUDED.value
                      ELSE c.value + EXCLUDED.value END,
         expires_at = CASE WHEN c.expires_at <= now() THEN EXCLUDED.expires_at
                           ELSE c.expires_at END
       RETURNING key, value`,
      [keys, keys.map((k) => adds.get(k)!.by), keys.map((k) => adds.get(k)!.ttlMs)],
    );
    this.sweepSometimes();
    const values = new Map(rows.map((row) => [row.key, Number(row.value)]));
    // Repeated keys: each occurrence sees the value after its own add, as INCRs in a row would.
    const seen = new Map<string, number>();
    return names.map((key) => {
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      return (values.get(key) ?? 0) - adds.get(key)!.by + n;
    });
  }

  async read(key: readonly string[]): Promise<number> {
    const rows = await this.db.query<Array<{ value: string }>>(
      `SELECT value FROM transport_counters WHERE key = $1 AND expires_at > now()`,
      [this.keys.key(...key)],
    );
    return Number(rows[0]?.value ?? 0);
  }

  async claim(key: readonly string[], ttlMs: number): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `INSERT INTO transport_counters AS c (key, value, expires_at)
       VALUES ($1, 1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET value = 1, expires_at = EXCLUDED.expires_at
       WHERE c.expires_at <= now()
       RETURNING key`,
      [this.keys.key(...key), ttlMs],
    );
    return rows.length === 1;
  }

  async forget(scope: string, subjects: readonly string[]): Promise<number> {
    if (!subjects.length) return 0;
    const head = this.keys.key(scope, '');
    const result: unknown = await this.db.query(
      `DELETE FROM transport_counters
       WHERE starts_with(key, $1) AND string_to_array(substr(key, length($1) + 1), ':') && $2`,
      [head, [...subjects]],
    );
    return affectedRows(result);
  }

  private sweepSometimes(now = Date.now()): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.db
      .query(`DELETE FROM transport_counters WHERE expires_at <= now()`)
      .catch(() => undefined);
  }
}
