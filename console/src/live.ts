import type { Api, ModerationItem } from './api.js';
import { query } from './api.js';
import { readEventStream, SseParser } from './sse.js';

/**
 * Live updates: `GET /v1/moderation/stream?siteId=` (Server-Sent Events, read with fetch() so the
 * bearer token goes in a header). While the stream is down, and for good when the server has no
 * stream (404), the console polls the counts and the open queue every `pollMs` instead.
 */

export type LiveMode = 'connecting' | 'live' | 'polling';

export const LIVE_EVENTS = [
  'comment.held',
  'comment.approved',
  'comment.rejected',
  'comment.spam',
  'comment.deleted',
  'comment.featured',
] as const;
export type LiveEventName = (typeof LIVE_EVENTS)[number];

export interface LiveHandlers {
  onEvent(name: LiveEventName, item: ModerationItem): void;
  /** Polling tick: refresh the counts and the open queue. */
  onPoll(): void;
  /** The stream opened again after a break: refresh once, to catch what happened meanwhile. */
  onReconnect(): void;
  onMode(mode: LiveMode): void;
}

const DEFAULT_RETRY_MS = 3000;
const MAX_BACKOFF_MS = 60_000;

export class Live {
  private generation = 0;
  private abort: AbortController | null = null;
  private reconnectTimer: number | undefined;
  private pollTimer: number | undefined;
  private failures = 0;
  private lastEventId: string | null = null;
  /** The server answered 404: there is no stream; poll for the rest of the session. */
  private streamMissing = false;
  /** The stream has been open since the last start(): a later open is a reconnection. */
  private wasOpen = false;
  mode: LiveMode = 'connecting';

  constructor(
    private readonly api: Api,
    private readonly pollMs: number,
    private readonly handlers: LiveHandlers,
  ) {}

  /** (Re)starts for a site filter ('' for every site the token may see). */
  start(siteId: string): void {
    this.stop();
    this.lastEventId = null;
    this.wasOpen = false;
    const generation = ++this.generation;
    if (this.streamMissing) this.startPolling();
    else void this.connect(generation, siteId);
  }

  stop(): void {
    this.generation += 1;
    this.abort?.abort();
    this.abort = null;
    window.clearTimeout(this.reconnectTimer);
    this.stopPolling();
  }

  private setMode(mode: LiveMode): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.handlers.onMode(mode);
  }

  private async connect(generation: number, siteId: string): Promise<void> {
    const controller = new AbortController();
    this.abort = controller;
    let res: Response;
    try {
      const headers = this.api.headers({ Accept: 'text/event-stream' });
      if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
      res = await fetch(`/v1/moderation/stream${query({ siteId })}`, {
        headers,
        signal: controller.signal,
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      if (generation === this.generation) this.retryLater(generation, siteId, false);
      return;
    }
    if (generation !== this.generation) {
      controller.abort();
      return;
    }
    if (res.status === 404 || res.status === 405 || res.status === 501) {
      this.streamMissing = true;
      controller.abort();
      this.startPolling();
      return;
    }
    if (res.status === 401) {
      controller.abort();
      this.api.onUnauthorized();
      return;
    }
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok || !res.body || !type.startsWith('text/event-stream')) {
      controller.abort();
      this.retryLater(generation, siteId, false);
      return;
    }
    this.failures = 0;
    this.stopPolling();
    this.setMode('live');
    if (this.wasOpen) this.handlers.onReconnect();
    this.wasOpen = true;
    const parser = new SseParser((event) => {
      if (generation !== this.generation) return;
      if (event.id) this.lastEventId = event.id;
      if (!(LIVE_EVENTS as readonly string[]).includes(event.event)) return;
      let item: unknown;
      try {
        item = JSON.parse(event.data);
      } catch {
        return;
      }
      if (isItem(item)) this.handlers.onEvent(event.event as LiveEventName, item);
    });
    try {
      await readEventStream(res.body, parser);
    } catch {
      // Cut off: reconnect below.
    }
    if (generation !== this.generation) return;
    this.retryLater(generation, siteId, true, parser.retry ?? DEFAULT_RETRY_MS);
  }

  /** Polls while the stream is down and tries it again later. */
  private retryLater(generation: number, siteId: string, wasOpen: boolean, retryMs = 0): void {
    this.startPolling();
    this.failures = wasOpen ? 0 : this.failures + 1;
    const delay = wasOpen
      ? Math.max(retryMs, 500)
      : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures, 6));
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = window.setTimeout(() => {
      if (generation === this.generation) void this.connect(generation, siteId);
    }, delay);
  }

  private startPolling(): void {
    this.setMode('polling');
    if (this.pollTimer !== undefined) return;
    this.pollTimer = window.setInterval(() => this.handlers.onPoll(), this.pollMs);
  }

  private stopPolling(): void {
    window.clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }
}

function isItem(value: unknown): value is ModerationItem {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.status === 'string' &&
    typeof v.siteId === 'string' &&
    typeof v.articleId === 'string' &&
    typeof v.createdAt === 'string' &&
    typeof v.bodyHtml === 'string'
  );
}
