import pg from 'pg';
import type { SqlClient } from './outbox.repository.js';

/** Arbitrary but fixed: the one relay that holds this session lock is the active one. */
const RELAY_LEASE_LOCK = 7_331_002;

/**
 * The relay's own PostgreSQL session, outside the pool. Whoever holds the session-level
 * advisory lock on it is the single active relay; the lock goes with the session, so when the
 * process or its connection dies, a standby takes over on its next try. The active relay runs
 * its reads and marks here, so a relay that lost its session cannot mark anything.
 */
export class RelayLease implements SqlClient {
  private client: pg.Client | null = null;
  private held = false;
  private broken = false;

  constructor(
    private readonly url: string,
    private readonly applicationName = 'comments-relay',
  ) {}

  /** True while this process is the active relay and its session is healthy. */
  get active(): boolean {
    return this.held && !this.broken;
  }

  /** Tries once to become the active relay (opening the session if needed). */
  async tryAcquire(): Promise<boolean> {
    if (this.broken) await this.close();
    const client = await this.connect();
    const rows = await this.run<{ ok: boolean }>(client, 'SELECT pg_try_advisory_lock($1) AS ok', [
      RELAY_LEASE_LOCK,
    ]);
    if (!rows[0]?.ok) return false;
    this.held = true;
    return true;
  }

  query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!this.client || !this.active) return Promise.reject(new Error('Relay lease not held'));
    return this.run<T>(this.client, sql, params);
  }

  /** Gives the lease up (standbys take over) and closes the session. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.held = false;
    this.broken = false;
    if (!client) return;
    try {
      await client.end();
    } catch {
      // Already gone: the lock went with it.
    }
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: this.applicationName,
      keepAlive: true,
    });
    // A dead session means a lost lease: stop using it and let the loop reconnect.
    client.on('error', () => (this.broken = true));
    client.on('end', () => (this.broken = true));
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.broken = false;
    return client;
  }

  private async run<T>(client: pg.Client, sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      const result = await client.query(sql, params);
      return result.rows as T[];
    } catch (error) {
      // A failed statement on a healthy session is the caller's problem; a connection-level
      // failure (terminated, reset) is not recoverable on this session.
      if (!isStatementError(error)) this.broken = true;
      throw error;
    }
  }
}

/** An error PostgreSQL answered for one statement (not class 08/57: connection, shutdown). */
function isStatementError(error: unknown): boolean {
  return error instanceof pg.DatabaseError && !/^(08|57)/.test(error.code ?? '');
}
