import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { canAccessSite, type Principal } from '../auth/principal.js';
import { TokensService } from '../auth/tokens.service.js';
import { ForbiddenError } from '../common/errors/domain.errors.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { toCloudEvent, type CloudEventJson } from '../events/cloud-event.js';
import { LiveEventsHub } from '../events/live/live-events.hub.js';
import { serveLiveStream } from '../events/live/live-stream.js';
import { OutboxRepository } from '../events/outbox/outbox.repository.js';
import type { LiveSink } from '../common/http/sse-sink.js';
import { ModeratorQueue } from './moderator-queue.service.js';
import { parseSequence } from '../events/sequence.js';

/** What moderators follow live: every decision about a comment, new held ones, and editors' picks. */
export const MODERATION_EVENTS = [
  'comment.held',
  'comment.approved',
  'comment.rejected',
  'comment.spam',
  'comment.deleted',
  // Trust and safety: reader flags (with the open flags' counts) and republished edits.
  'comment.flagged',
  'comment.edited',
  'comment.featured',
];
const REPLAY_LIMIT = 500;

/**
 * The moderators' live stream: each status change of a comment on the token's sites as
 * `event: <type>`, `id: <sequence>`, `data: <moderation item>` (read fresh from PostgreSQL,
 * so the email and the current status come with it; the pub/sub message itself carries no
 * email). `Last-Event-ID` replays what was missed from the outbox.
 */
@Injectable()
export class ModerationStreamService {
  constructor(
    private readonly hub: LiveEventsHub,
    private readonly outbox: OutboxRepository,
    private readonly moderator: ModeratorQueue,
    private readonly tokens: TokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(ModerationStreamService.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * A stream is only as good as its token: it is re-checked every MODERATION_SSE_RECHECK_MS
   * (a revoked token loses its stream within seconds), and every stream ends after
   * MODERATION_SSE_MAX_AGE_S, so that the client authenticates again to go on.
   */
  private guard(principal: Principal, sink: LiveSink): void {
    const { moderationSseRecheckMs, moderationSseMaxAgeMs } = this.config.events;
    const end = (why: string) => {
      if (sink.closed) return;
      sink.comment(why);
      sink.end();
    };
    const maxAge = setTimeout(() => end('expired: sign in again'), moderationSseMaxAgeMs);
    const recheck = setInterval(() => {
      this.tokens.stillValid(principal).then(
        (valid) => {
          if (!valid) end('revoked or expired: sign in again');
        },
        () => undefined, // the database is away: the next check decides
      );
    }, moderationSseRecheckMs);
    maxAge.unref();
    recheck.unref();
    sink.onClose(() => {
      clearTimeout(maxAge);
      clearInterval(recheck);
    });
  }

  async stream(
    principal: Principal,
    siteId: string | undefined,
    lastEventId: string | undefined,
    open: (retryMs: number) => LiveSink,
  ): Promise<void> {
    if (siteId && !canAccessSite(principal, siteId)) {
      throw new ForbiddenError('This token may not moderate that site.');
    }
    const wanted = (event: CloudEventJson) => {
      const eventSite = event.source.replace(/^\/sites\//, '');
      return (
        MODERATION_EVENTS.includes(event.type) &&
        (!siteId || eventSite === siteId) &&
        canAccessSite(principal, eventSite)
      );
    };

    let lastSent = parseSequence(lastEventId);
    // One event at a time, in order: each needs a read before it is sent.
    let queue: Promise<void> = Promise.resolve();
    return serveLiveStream<CloudEventJson>(this.hub, this.logger, {
      subscribe: (listener) =>
        this.hub.subscribeAll((event) => {
          if (wanted(event)) listener(event);
        }),
      open,
      send: (sink, event) => {
        queue = queue.then(async () => {
          const sequence = BigInt(event.sequence);
          if (sink.closed || (lastSent !== null && sequence <= lastSent)) return;
          const id = event.subject.replace(/^comments\//, '');
          const item = await this.moderator.getItem(principal, id).catch(() => null);
          lastSent = sequence;
          if (item) sink.event(event.type, event.sequence, item);
        });
      },
      replay: async (send) => {
        if (lastSent === null) return;
        const { events } = await this.outbox.findPage({
          after: lastSent.toString(),
          limit: REPLAY_LIMIT,
          types: MODERATION_EVENTS,
          siteIds: siteId ? [siteId] : principal.siteIds,
        });
        for (const row of events) send(toCloudEvent(row));
      },
      opened: (sink) => this.guard(principal, sink),
    });
  }
}
