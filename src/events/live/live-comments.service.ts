import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RateLimitedError } from '../../common/errors/domain.errors.js';
import { clientKey } from '../../common/http/client-address.js';
import type { AppConfig } from '../../config/app.config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { SitesService } from '../../sites/sites.service.js';
import { toCloudEvent } from '../cloud-event.js';
import { LiveEventsHub, toLiveComment, type LiveComment } from './live-events.hub.js';
import { RECONNECT_MS, serveLiveStream } from './live-stream.js';
import { OutboxRepository } from '../outbox/outbox.repository.js';
import type { LiveSink } from '../../common/http/sse-sink.js';
import { parseSequence } from '../sequence.js';

/** Resume pages: at most REPLAY_PAGES × REPLAY_PAGE_SIZE missed comments are replayed. */
const REPLAY_PAGE_SIZE = 200;
const REPLAY_PAGES = 10;

export const LIVE_EVENT_NAME = 'comment.approved';

/**
 * Live comments of one article: each newly published comment as `event: comment.approved`,
 * `id:` its event sequence, `data:` the public comment. With `Last-Event-ID`, the approved
 * comments published since that sequence are replayed from the outbox first; live and
 * replayed events are merged by sequence, so none is sent twice or out of order.
 */
@Injectable()
export class LiveCommentsService {
  /** Open public streams of this process, per client (`clientKey`) and in total. */
  private readonly perClient = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly hub: LiveEventsHub,
    private readonly outbox: OutboxRepository,
    private readonly sites: SitesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(LiveCommentsService.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Checks the site, subscribes, then calls `open` (which starts the HTTP response): errors
   * before that are ordinary problem responses; after it, the stream just ends.
   */
  async stream(
    siteId: string,
    articleId: string,
    lastEventId: string | undefined,
    open: (retryMs: number) => LiveSink,
    client: string | null = null,
  ): Promise<void> {
    await this.sites.get(siteId);
    const release = this.admit(client);
    try {
      await this.serve(siteId, articleId, lastEventId, (retryMs) => {
        const sink = open(retryMs);
        sink.onClose(release);
        return sink;
      });
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Counts a new stream against the caps (SSE_MAX_STREAMS_PER_CLIENT per client, SSE_MAX_STREAMS
   * in all): over either, a 429 with Retry-After. Returns the release, safe to call twice.
   */
  private admit(client: string | null): () => void {
    const { sseMaxStreams, sseMaxStreamsPerClient } = this.config.events;
    const key = client === null ? null : clientKey(client);
    const mine = key === null ? 0 : (this.perClient.get(key) ?? 0);
    if (this.total >= sseMaxStreams || mine >= sseMaxStreamsPerClient) {
      throw new RateLimitedError(Math.ceil(RECONNECT_MS / 1000) * 10);
    }
    this.total++;
    if (key !== null) this.perClient.set(key, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      if (key === null) return;
      const left = (this.perClient.get(key) ?? 1) - 1;
      if (left > 0) this.perClient.set(key, left);
      else this.perClient.delete(key);
    };
  }

  private serve(
    siteId: string,
    articleId: string,
    lastEventId: string | undefined,
    open: (retryMs: number) => LiveSink,
  ): Promise<void> {
    let lastSent = parseSequence(lastEventId);
    return serveLiveStream<LiveComment>(this.hub, this.logger, {
      subscribe: (listener) => this.hub.subscribe(siteId, articleId, listener),
      open,
      send: (sink, live) => {
        const sequence = BigInt(live.sequence);
        if (lastSent !== null && sequence <= lastSent) return;
        lastSent = sequence;
        sink.event(LIVE_EVENT_NAME, live.sequence, live.comment);
      },
      replay: async (send) => {
        if (lastSent === null) return;
        // An id from the future (another deployment, a reset database) would mute the stream.
        const head = await this.outbox.headSequence();
        if (head === null || BigInt(head) < lastSent) lastSent = BigInt(head ?? 0);
        await this.replay(siteId, articleId, lastSent, send);
      },
    });
  }

  private async replay(
    siteId: string,
    articleId: string,
    after: bigint,
    send: (live: LiveComment) => void,
  ): Promise<void> {
    let cursor = after;
    for (let page = 0; page < REPLAY_PAGES; page++) {
      const rows = await this.outbox.findApprovedForArticle(
        siteId,
        articleId,
        cursor.toString(),
        REPLAY_PAGE_SIZE,
      );
      for (const row of rows) {
        const live = toLiveComment(toCloudEvent(row));
        if (live) send(live);
        cursor = BigInt(row.sequence);
      }
      if (rows.length < REPLAY_PAGE_SIZE) return;
    }
  }
}
