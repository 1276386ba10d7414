import { Injectable } from '@nestjs/common';
import type { Principal } from '../../auth/principal.js';
import { toCloudEvent, type CloudEventJson, type CommentEventType } from '../cloud-event.js';
import { OutboxRepository } from '../outbox/outbox.repository.js';
import { formatSequence } from '../sequence.js';

export interface EventsPage {
  events: CloudEventJson[];
  /** Pass as `after` to continue; equal to `after` when nothing new exists yet. */
  next: string;
}

/** The pull API: the durable event log in PostgreSQL, for catch-up and resync. */
@Injectable()
export class EventsService {
  constructor(private readonly outbox: OutboxRepository) {}

  /**
   * Events after a sequence, oldest first, limited to the caller's sites. Sequences become
   * visible in order (see OutboxRepository.append), so paging by `next` never skips one. A
   * short page moves `next` up to the log's head, so a filtered consumer does not rescan
   * events it skipped on its next poll.
   */
  async page(
    query: { after: string; limit: number; types?: CommentEventType[] },
    principal: Principal,
  ): Promise<EventsPage> {
    const { events, head } = await this.outbox.findPage({
      after: query.after,
      limit: query.limit,
      types: query.types?.length ? query.types : null,
      siteIds: principal.siteIds,
    });
    let next = BigInt(events.at(-1)?.sequence ?? query.after);
    if (events.length < query.limit && head !== null && BigInt(head) > next) next = BigInt(head);
    return { events: events.map(toCloudEvent), next: formatSequence(next) };
  }
}
