import { siteSurrogateKey, threadSurrogateKey } from '../common/http/edge-cache.js';
import { formatSequence } from './sequence.js';

/** The comment event types (CloudEvents `type`). */
export const COMMENT_EVENT_TYPES = [
  'comment.submitted',
  'comment.approved',
  'comment.held',
  'comment.rejected',
  'comment.spam',
  'comment.deleted',
  // Trust and safety: an author's edit published again; a reader flag (no reporter data).
  'comment.edited',
  'comment.flagged',
  'comment.featured',
] as const;
export type CommentEventType = (typeof COMMENT_EVENT_TYPES)[number];

/**
 * Webhooks are sent in CloudEvents structured content mode (HTTP protocol binding, section
 * 3.1): the whole event is the JSON body, typed as this.
 */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

/** CloudEvents 1.0, structured JSON mode, with the `sequence` extension. */
export interface CloudEventJson {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  sequence: string;
  data: Record<string, unknown>;
}

export interface OutboxRow {
  sequence: string;
  eventId: string;
  type: string;
  source: string;
  subject: string;
  createdAt: Date;
  data: Record<string, unknown>;
}

export function toCloudEvent(row: OutboxRow): CloudEventJson {
  return {
    specversion: '1.0',
    id: row.eventId,
    source: row.source,
    type: row.type,
    subject: row.subject,
    time: row.createdAt.toISOString(),
    datacontenttype: 'application/json',
    sequence: formatSequence(row.sequence),
    data: withSurrogateKeys(row.data),
  };
}

/**
 * What a CDN purger needs: the `Surrogate-Key`s of the public reads that show the comment
 * (its article's thread pages and counts, and the site), as `data.surrogateKeys`. Derived
 * from `data.comment`, so every channel carries the same bytes.
 */
function withSurrogateKeys(data: Record<string, unknown>): Record<string, unknown> {
  const comment = data.comment as { siteId?: unknown; articleId?: unknown } | undefined;
  if (typeof comment?.siteId !== 'string' || typeof comment.articleId !== 'string') return data;
  return {
    ...data,
    surrogateKeys: [
      threadSurrogateKey(comment.siteId, comment.articleId),
      siteSurrogateKey(comment.siteId),
    ],
  };
}

export function sourceOf(siteId: string): string {
  return `/sites/${siteId}`;
}
