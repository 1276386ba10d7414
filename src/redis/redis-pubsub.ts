import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PubSub, type PubSubHandlers, type Subscription } from './pubsub.js';
import { quitQuietly } from './quit-quietly.js';
import { RedisKeys } from './redis-keys.js';
import { REDIS } from './redis.tokens.js';

interface Channel {
  readonly handlers: Set<PubSubHandlers>;
  /** Settles when Redis acknowledged SUBSCRIBE. */
  readonly subscribed: Promise<unknown>;
}

/**
 * Redis pub/sub with one subscriber connection per process, opened on the first `subscribe`
 * and shared by every channel. Messages are handed to the handlers of their channel in
 * memory. When the connection drops every handler hears `gap`; ioredis reconnects, the
 * channels are subscribed again, and every handler hears `gap` once more before it is live.
 */
@Injectable()
export class RedisPubSub extends PubSub implements OnApplicationShutdown {
  private subscriber: Redis | null = null;
  private connecting: Promise<Redis> | null = null;
  private readonly channels = new Map<string, Channel>();
  private connected = false;
  private closed = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(RedisPubSub.name) private readonly logger: PinoLogger,
  ) {
    super();
  }

  async publish(channel: string, messages: readonly string[]): Promise<void> {
    if (!messages.length) return;
    const name = this.keys.key(channel);
    if (messages.length === 1) {
      await this.redis.publish(name, messages[0]);
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const message of messages) pipeline.publish(name, message);
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  async subscribe(channel: string, handlers: PubSubHandlers): Promise<Subscription> {
    const subscriber = await this.connect();
    const name = this.keys.key(channel);
    let entry = this.channels.get(name);
    if (!entry) {
      const subscribed = subscriber.subscribe(name);
      entry = { handlers: new Set(), subscribed };
      this.channels.set(name, entry);
      subscribed.catch(() => {
        if (this.channels.get(name) === entry) this.channels.delete(name);
      });
    }
    await entry.subscribed;
    const joined = entry;
    joined.handlers.add(handlers);
    let active = true;
    const live = () => active && this.connected && !this.closed;
    return {
      get live() {
        return live();
      },
      unsubscribe: async () => {
        if (!active) return;
        active = false;
        joined.handlers.delete(handlers);
        if (joined.handlers.size || this.channels.get(name) !== joined) return;
        this.channels.delete(name);
        await this.subscriber?.unsubscribe(name).catch(() => undefined);
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.connected = false;
    const subscriber = this.subscriber;
    this.subscriber = null;
    await quitQuietly(subscriber);
  }

  private connect(): Promise<Redis> {
    if (this.closed) return Promise.reject(new Error('Shutting down'));
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  private async open(): Promise<Redis> {
    const subscriber = this.redis.duplicate({
      lazyConnect: true,
      connectionName: `comments-${this.config.role}-pubsub`,
      maxRetriesPerRequest: null,
      // Channels are subscribed again by hand, so handlers hear `gap` only once they are.
      autoResubscribe: false,
    });
    let opened = false;
    subscriber.on('message', (channel: string, message: string) => this.dispatch(channel, message));
    subscriber.on('error', (error: Error) =>
      this.logger.warn({ err: error.message }, 'Pub/sub connection error'),
    );
    subscriber.on('close', () => {
      if (!opened || this.closed) return;
      const wasConnected = this.connected;
      this.connected = false;
      if (wasConnected) this.signalGap();
    });
    subscriber.on('ready', () => {
      if (!opened || this.closed) return;
      const names = [...this.channels.keys()];
      const resubscribed = names.length ? subscriber.subscribe(...names) : Promise.resolve();
      resubscribed.then(
        () => {
          if (this.closed) return;
          this.connected = true;
          this.signalGap();
        },
        (error: unknown) =>
          this.logger.warn({ err: (error as Error).message }, 'Pub/sub resubscribe failed'),
      );
    });
    try {
      await subscriber.connect();
    } catch (error) {
      subscriber.disconnect();
      throw error;
    }
    opened = true;
    this.connected = true;
    this.subscriber = subscriber;
    return subscriber;
  }

  private dispatch(channel: string, message: string): void {
    for (const handlers of [...(this.channels.get(channel)?.handlers ?? [])]) {
      try {
        handlers.message(message);
      } catch (error) {
        this.logger.warn({ err: (error as Error).message, channel }, 'Pub/sub handler failed');
      }
    }
  }

  private signalGap(): void {
    for (const channel of this.channels.values()) {
      for (const handlers of [...channel.handlers]) handlers.gap?.();
    }
  }
}
