import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { PublicComment } from '../comments/views/comment-views.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PubSub, type Subscription } from '../redis/pubsub.js';
import type { CloudEventJson } from './cloud-event.js';
import type { LiveSink } from './sse-sink.js';

/** A newly published comment, as live streams send it. */
export interface LiveComment {
  sequence: string;
  siteId: string;
  articleId: string;
  comment: PublicComment;
}

export type LiveListener = (event: LiveComment) => void;
/** Every comment event, as published (moderators' streams). */
export type EventListener = (event: CloudEventJson) => void;

/** The pub/sub channel the relay publishes comment events on. */
export const LIVE_CHANNEL = 'events:live';

/** Fields events add to the public comment shape. */
const EVENT_ONLY_FIELDS = new Set(['siteId', 'articleId', 'status']);

/**
 * An approved event as a live comment: the public comment shape (the thread's), without the
 * event's own `siteId`, `articleId` and `status`. Null for anything else.
 */
export function toLiveComment(
  event: Pick<CloudEventJson, 'type' | 'sequence' | 'data'>,
): LiveComment | null {
  if (event.type !== 'comment.approved') return null;
  const comment = event.data.comment as Record<string, unknown> | undefined;
  if (!comment || typeof comment.siteId !== 'string' || typeof comment.articleId !== 'string') {
    return null;
  }
  // Taken down after it was approved: the stored event was redacted; nothing to show.
  if (comment.redacted === true || comment.deleted === true) return null;
  const publicComment = Object.fromEntries(
    Object.entries(comment).filter(([field]) => !EVENT_ONLY_FIELDS.has(field)),
  ) as unknown as PublicComment;
  return {
    sequence: event.sequence,
    siteId: comment.siteId,
    articleId: comment.articleId,
    comment: publicComment,
  };
}

/**
 * The api side of live streams: one subscription to the live channel per process (opened on
 * the first stream, on the process's `PubSub` connection), fanned out in memory to the open
 * streams of each article; one heartbeat timer for all of them. When the channel may have
 * missed events (`gap`), every stream is ended so that browsers reconnect with Last-Event-ID
 * and replay what they missed from PostgreSQL.
 */
@Injectable()
export class LiveEventsHub implements BeforeApplicationShutdown, OnApplicationShutdown {
  private subscription: Subscription | null = null;
  private connecting: Promise<void> | null = null;
  private readonly listeners = new Map<string, Set<LiveListener>>();
  private readonly everything = new Set<EventListener>();
  private readonly sinks = new Set<LiveSink>();
  private heartbeat: NodeJS.Timeout | undefined;
  private shuttingDown = false;

  constructor(
    private readonly pubsub: PubSub,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(LiveEventsHub.name) private readonly logger: PinoLogger,
  ) {}

  get closing(): boolean {
    return this.shuttingDown;
  }

  get openStreams(): number {
    return this.sinks.size;
  }

  /** Listens to an article's new comments; resolves once the subscription is live. */
  async subscribe(siteId: string, articleId: string, listener: LiveListener): Promise<() => void> {
    await this.connect();
    const key = articleKey(siteId, articleId);
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size && this.listeners.get(key) === set) this.listeners.delete(key);
    };
  }

  /** Listens to every comment event; resolves once the subscription is live. */
  async subscribeAll(listener: EventListener): Promise<() => void> {
    await this.connect();
    this.everything.add(listener);
    return () => this.everything.delete(listener);
  }

  /** Keeps an open stream alive with heartbeats and ends it on shutdown. */
  attach(sink: LiveSink): void {
    if (this.shuttingDown) {
      sink.end();
      return;
    }
    this.sinks.add(sink);
    sink.onClose(() => {
      this.sinks.delete(sink);
      if (!this.sinks.size) this.stopHeartbeat();
    });
    this.startHeartbeat();
  }

  /** Ends every open stream before the HTTP server closes (else it would wait for them). */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
    this.endAll();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopHeartbeat();
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.unsubscribe();
  }

  private connect(): Promise<void> {
    this.connecting ??= this.pubsub
      .subscribe(LIVE_CHANNEL, {
        message: (message) => this.dispatch(message),
        // Events published meanwhile were missed: make the streams resume from PostgreSQL.
        gap: () => {
          if (!this.shuttingDown) this.endAll();
        },
      })
      .then(
        (subscription) => {
          this.subscription = subscription;
        },
        (error: unknown) => {
          this.connecting = null;
          throw error;
        },
      );
    return this.connecting;
  }

  private dispatch(message: string): void {
    let event: CloudEventJson;
    try {
      event = JSON.parse(message) as CloudEventJson;
    } catch {
      this.logger.warn('Ignored a malformed live event');
      return;
    }
    for (const listener of [...this.everything]) listener(event);
    const live = toLiveComment(event);
    if (!live) return;
    const set = this.listeners.get(articleKey(live.siteId, live.articleId));
    if (!set) return;
    for (const listener of [...set]) listener(live);
  }

  private endAll(): void {
    for (const sink of [...this.sinks]) sink.end();
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const sink of this.sinks) sink.comment('keep-alive');
    }, this.config.events.sseHeartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}

function articleKey(siteId: string, articleId: string): string {
  return `${siteId}\n${articleId}`;
}
