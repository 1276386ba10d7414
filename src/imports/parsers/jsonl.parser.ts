import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { COMMENT_STATUSES } from '../../comments/model/comment-status.js';
import type { Reason } from '../../comments/model/comment.entity.js';
import { ARTICLE_ID_PATTERN, UUID_PATTERN } from '../../common/http/identifiers.js';
import {
  ImportParseError,
  type ImportInput,
  type SourceComment,
  type SourceItem,
} from './source-record.js';

/**
 * One line of this service's own export (`npm run export -- --format jsonl`): everything
 * needed to restore a comment. Keys are written in this order.
 */
export interface JsonlComment {
  id: string;
  articleId: string;
  parentId: string | null;
  status: string;
  createdAt: string;
  publishedAt: string | null;
  deletedAt: string | null;
  /** When an editor featured it; absent in exports made before featured comments existed. */
  featuredAt?: string | null;
  author: { name: string | null; email: string | null; website: string | null };
  body: string;
  bodyHtml: string;
  spamScore: number | null;
  spamReasons: Reason[];
  moderationReasons: Reason[];
  /** Where an imported comment originally came from; null for comments written here. */
  source: { format: string; id: string } | null;
}

/**
 * Streams a JSONL export. A line that is not JSON makes the file unparseable (nothing is
 * imported); a JSON line that is not a valid comment is a bad record (skipped, reported).
 */
export async function* parseJsonl(input: ImportInput): AsyncGenerator<SourceItem> {
  const lines = createInterface({ input: Readable.from(input), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ImportParseError(line, `not JSON (${jsonSyntaxError(error as Error)})`);
    }
    yield toItem(value, line);
  }
}

/**
 * What is wrong with a line, without its content: V8 quotes the text around some errors
 * (`Unexpected token 'a', ..."email":"ann@exampl"... is not valid JSON`), and this message is
 * logged and shown, where no email, name or body may go.
 */
function jsonSyntaxError(error: Error): string {
  const message = error.message;
  if (/^Unexpected token\b/.test(message)) return 'unexpected character';
  return message.includes('"') ? 'malformed JSON' : message;
}

const date = (v: unknown): Date | null | undefined => {
  if (v === null) return null;
  if (typeof v !== 'string') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
};
const str = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown): v is string | null => v === null || typeof v === 'string';
const reasons = (v: unknown): v is Reason[] =>
  Array.isArray(v) &&
  v.every(
    (r) => r && typeof r === 'object' && str((r as Reason).code) && str((r as Reason).message),
  );

function toItem(value: unknown, line: number): SourceItem {
  const bad = (message: string): SourceItem => ({ kind: 'error', line, message });
  if (!value || typeof value !== 'object' || Array.isArray(value)) return bad('not an object');
  const r = value as Partial<JsonlComment>;
  if (!str(r.id) || !UUID_PATTERN.test(r.id)) return bad('id must be a UUID');
  if (!str(r.articleId) || !ARTICLE_ID_PATTERN.test(r.articleId)) {
    return bad('articleId must match ^[A-Za-z0-9._~:-]{1,200}$');
  }
  if (r.parentId !== null && (!str(r.parentId) || !UUID_PATTERN.test(r.parentId))) {
    return bad('parentId must be a UUID or null');
  }
  if (!str(r.status) || !(COMMENT_STATUSES as readonly string[]).includes(r.status)) {
    return bad(`status must be one of ${COMMENT_STATUSES.join(', ')}`);
  }
  const createdAt = date(r.createdAt);
  if (!createdAt) return bad('createdAt must be an ISO 8601 date');
  const publishedAt = date(r.publishedAt);
  const deletedAt = date(r.deletedAt);
  if (publishedAt === undefined) return bad('publishedAt must be an ISO 8601 date or null');
  if (deletedAt === undefined) return bad('deletedAt must be an ISO 8601 date or null');
  const featuredAt = r.featuredAt === undefined ? null : date(r.featuredAt);
  if (featuredAt === undefined) return bad('featuredAt must be an ISO 8601 date or null');
  const a = r.author;
  if (!a || typeof a !== 'object' || !optStr(a.name) || !optStr(a.email) || !optStr(a.website)) {
    return bad('author must be {name, email, website} (strings or null)');
  }
  if (!str(r.body) || !str(r.bodyHtml)) return bad('body and bodyHtml must be strings');
  if (r.spamScore !== null && typeof r.spamScore !== 'number') {
    return bad('spamScore must be a number or null');
  }
  if (!reasons(r.spamReasons) || !reasons(r.moderationReasons)) {
    return bad('spamReasons and moderationReasons must be lists of {code, message}');
  }
  const source = r.source;
  if (source !== null && (!source || !str(source.format) || !str(source.id))) {
    return bad('source must be {format, id} or null');
  }
  const comment: SourceComment = {
    line,
    ref: r.id,
    parentRef: r.parentId,
    // Keeps its original provenance, so importing an export of an import adds nothing twice.
    origin: source ? { format: source.format, id: source.id } : null,
    articleUrl: null,
    articleId: r.articleId,
    createdAt,
    authorName: a.name,
    email: a.email,
    website: a.website,
    ip: null,
    content: { body: r.body, bodyHtml: r.bodyHtml },
    // A comment still waiting for the pipeline there is held for a moderator here.
    status: r.status === 'pending' ? 'held' : (r.status as SourceComment['status']),
    id: r.id,
    publishedAt,
    deletedAt,
    featuredAt,
    spamScore: r.spamScore ?? null,
    spamReasons: r.spamReasons,
    moderationReasons: r.moderationReasons,
  };
  return { kind: 'comment', comment };
}
