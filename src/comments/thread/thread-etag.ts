import { createHash } from 'node:crypto';

export interface ThreadVariantQuery {
  sort: 'oldest' | 'newest' | 'top';
  limit: number;
  cursor?: string;
  featured?: boolean;
}

/** Which page of a thread a query asks for (part of the cache key and the ETag). */
export function threadVariant(query: ThreadVariantQuery): string {
  return createHash('sha1')
    .update(
      `${query.sort}|${query.limit}|${query.cursor ?? ''}${query.featured ? '|featured' : ''}`,
    )
    .digest('base64url')
    .slice(0, 10);
}

/** The ETag of a page from the thread cache: its generation and the query. */
export function cachedEtag(generation: string, variant: string): string {
  return `W/"g${generation}-${variant}"`;
}

/** Weak comparison, as If-None-Match asks (RFC 9110). */
export function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => bare(tag) === bare(etag));
}
