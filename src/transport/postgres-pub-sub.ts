import { createHash } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { PubSub, type PubSubHandlers, type Subscription } from '../redis/pubsub.js';

/**
 * NOTIFY payloads must stay under 8000 bytes; longer messages go through `transport_messages`
 * and the notification carries their id.
 */
const INLINE_LIMIT_BYTES = 7000;
/** Stored messages are kept this long (listeners read them within milliseconds). */
const STORED_MESSAGE_TTL_S = 300;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

/** A NOTIFY payload is the message itself after `=`, or `@` and a `transport_messages` id. */
const INLINE = '=';
const STORED = '@';

export interface PostgresPubSubOptions {
  /** The database to LISTEN on (one connection per process, for every channel). */
  url: string;
  /** Channels are named `<prefix>:<channel>` (as Redis channels are). */
  prefix: string;
  applicationName: string;
}

/**
 * Pub/sub over PostgreSQL LISTEN/NOTIFY (PostgreSQL transport). One dedicated connection per
 * process listens on every channel; it is opened on the first subscribe and reopened with
 * backoff when lost (handlers hear `gap` then, and again once listening: what was published
 * in between is missed, as with Redis pub/sub). Publishing uses the application's pool, outside
 * any transaction of the caller. Messages are dispatched in the order they were published.
 */
export class PostgresPubSub extends PubSub {
  private readonly channels = new Map<string, Set<PubSubHandlers>>();
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  private closed = false;
  /** Dispatch runs in order even when a stored message must be read first. */
  private dispatching: Promise<void> = Promise.resolve();
  private publishedStored = 0;

  constructor(
    private readonly db: DataSource,
    private readonly options: PostgresPubSubOptions,
  ) {
    super();
  }

  async publish(channel: string, messages: readonly string[]): Promise<void> {
    if (!messages.length) return;
    const payloads: string[] = [];
    for (const message of messages) {
      if (Buffer.byteLength(message) <= INLINE_LIMIT_BYTES) {
        payloads.push(INLINE + message);
        continue;
      }
      const rows = await this.db.query<Array<{ id: string }>>(
        `INSERT INTO transport_messages (payload) VALUES ($1) RETURNING id`,
        [message],
      );
      payloads.push(STORED + rows[0].id);
      if (++this.publishedStored % 100 === 1) this.forgetOldMessages();
    }
    await this.db.query(
      `SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, n) ORDER BY n`,
      [this.pgChannel(channel), payloads],
    );
  }

  async subscribe(channel: string, handlers: PubSubHandlers): Promise<Subscription> {
    if (this.closed) throw new Error('Pub/sub is closed');
    const name = this.pgChannel(channel);
    let listeners = this.channels.get(name);
    const first = !listeners;
    if (!listeners) this.channels.set(name, (listeners = new Set()));
    listeners.add(handlers);
    try {
      const client = await this.connect();
      if (first) await client.query(`LISTEN ${pg.escapeIdentifier(name)}`);
    } catch (error) {
      listeners.delete(handlers);
      if (!listeners.size) this.channels.delete(name);
      throw error;
    }
    let active = true;
    const live = () => active && this.client !== null && !this.closed;
    const joined = listeners;
    return {
      get live() {
        return live();
      },
      unsubscribe: async () => {
        if (!active) return;
        active = false;
        joined.delete(handlers);
        if (joined.size || this.channels.get(name) !== joined) return;
        this.channels.delete(name);
        await this.client?.query(`UNLISTEN ${pg.escapeIdentifier(name)}`).catch(() => undefined);
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.channels.clear();
    const client = this.client ?? (await this.connecting?.catch(() => null));
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** PostgreSQL channel names are identifiers (at most 63 bytes). */
  private pgChannel(channel: string): string {
    const name = `${this.options.prefix}:${channel}`;
    return Buffer.byteLength(name) <= 63
      ? name
      : `c_${createHash('sha256').update(name).digest('hex').slice(0, 40)}`;
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName,
      keepAlive: true,
    });
    client.on('notification', (note) => this.received(note.channel, note.payload ?? ''));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const name of this.channels.keys()) {
        await client.query(`LISTEN ${pg.escapeIdentifier(name)}`);
      }
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error('Pub/sub is closed');
    }
    this.client = client;
    this.reconnectDelay = RECONNECT_MIN_MS;
    return client;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.signalGap();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed || this.client || !this.channels.size) return;
      this.connect().then(
        () => this.signalGap(),
        () => {
          this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
          this.scheduleReconnect();
        },
      );
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
  }

  private signalGap(): void {
    for (const listeners of this.channels.values()) {
      for (const handlers of [...listeners]) handlers.gap?.();
    }
  }

  private received(name: string, payload: string): void {
    if (payload.startsWith(INLINE)) {
      const message = payload.slice(INLINE.length);
      this.dispatching = this.dispatching.then(() => this.dispatch(name, message));
      return;
    }
    if (!payload.startsWith(STORED)) return;
    const read = this.db
      .query(`SELECT payload FROM transport_messages WHERE id = $1`, [payload.slice(STORED.length)])
      .then((rows: Array<{ payload: string }>) => rows[0]?.payload ?? null)
      .catch(() => null);
    this.dispatching = this.dispatching.then(async () => {
      const message = await read;
      if (message !== null) {
        this.dispatch(name, message);
        return;
      }
      // Unreadable: lost, as if the connection had dropped it; the channel's handlers resync.
      for (const handlers of [...(this.channels.get(name) ?? [])]) handlers.gap?.();
    });
  }

  private dispatch(name: string, message: string): void {
    for (const handlers of [...(this.channels.get(name) ?? [])]) {
      try {
        handlers.message(message);
      } catch {
        // A listener's failure is its own; the others still hear the message.
      }
    }
  }

  private forgetOldMessages(): void {
    this.db
      .query(
        `DELETE FROM transport_messages
         WHERE created_at < now() - $1 * interval '1 second'`,
        [STORED_MESSAGE_TTL_S],
      )
      .catch(() => undefined);
  }
}
