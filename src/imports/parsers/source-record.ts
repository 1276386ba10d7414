import type { CommentStatus } from '../../comments/model/comment-status.js';
import type { Reason } from '../../comments/model/comment.entity.js';

/** A file's bytes (or text) as they arrive. */
export type ImportInput = AsyncIterable<string | Buffer> | Iterable<string | Buffer>;

export const IMPORT_FORMATS = ['wxr', 'disqus', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A comment as a parser read it, before article ids, parents and ids are resolved. */
export interface SourceComment {
  /** Line of the file where the record starts. */
  line: number;
  /** What replies in the same file call it (their `parentRef`). */
  ref: string;
  parentRef: string | null;
  /**
   * Where it came from, remembered to recognise it on a later run (WXR ids are scoped by
   * their post). Null for a JSONL comment that was written by this service.
   */
  origin: { format: string; id: string } | null;
  /** The article's URL (WXR, Disqus) or, for this service's own JSONL, its id. */
  articleUrl: string | null;
  articleId: string | null;
  /** Used when the URL gives no id and --map has none (a Disqus thread's own identifier). */
  fallbackArticleId?: string | null;
  createdAt: Date;
  authorName: string | null;
  email: string | null;
  website: string | null;
  ip: string | null;
  content: { html: string } | { body: string; bodyHtml: string };
  status: Exclude<CommentStatus, 'pending'>;
  /** JSONL only: the comment's own id (kept when free), and what it carried. */
  id?: string;
  publishedAt?: Date | null;
  deletedAt?: Date | null;
  featuredAt?: Date | null;
  spamScore?: number | null;
  spamReasons?: Reason[];
  moderationReasons?: Reason[];
}

export type SourceItem =
  | { kind: 'comment'; comment: SourceComment }
  /** Not a comment to import (a pingback, a trackback): counted as skipped. */
  | { kind: 'skip'; line: number; reason: string }
  /** A bad record in a good file: skipped and listed in `errors`. */
  | { kind: 'error'; line: number; message: string };

/** The file cannot be parsed: nothing is imported. */
export class ImportParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'ImportParseError';
  }
}

/** Feeds a text stream into a push parser, yielding what it collected after each chunk. */
export async function* pushParse<T>(
  input: ImportInput,
  write: (chunk: string) => void,
  end: () => void,
  collected: T[],
): AsyncGenerator<T> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of input) {
    write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (collected.length) yield* collected.splice(0);
  }
  const rest = decoder.decode();
  if (rest) write(rest);
  end();
  if (collected.length) yield* collected.splice(0);
}

/** WordPress and Disqus dates: ISO 8601, or `YYYY-MM-DD HH:MM:SS` (UTC). Null if unusable. */
export function parseSourceDate(value: string | undefined | null): Date | null {
  const text = value?.trim();
  if (!text || text.startsWith('0000-00-00')) return null;
  const sql = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(text);
  const date = new Date(sql ? `${sql[1]}T${sql[2]}Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}
