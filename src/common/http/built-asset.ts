import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { etagMatches } from './etag.js';

/** A file made by `npm run build` (the widget, the console), served from memory. */
export interface BuiltAsset {
  body: string;
  etag: string;
  /** A short content hash (for asset URLs, so a new build is fetched at once). */
  version: string;
}

/** Reads a built file, or null when it is not built (yet). `tag` prefixes its ETag. */
export function loadBuiltAsset(path: string, tag: string, versionLength = 16): BuiltAsset | null {
  let body: string;
  try {
    body = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const version = createHash('sha256').update(body).digest('base64url').slice(0, versionLength);
  return { body, etag: `"${tag}-${version}"`, version };
}

/** Answers with the asset (cached 5 minutes), or 304 when the client has this version. */
export function sendBuiltAsset(
  reply: FastifyReply,
  asset: BuiltAsset,
  contentType: string,
  ifNoneMatch: string | undefined,
): string | undefined {
  void reply
    .header('content-type', contentType)
    .header('cache-control', 'public, max-age=300')
    .header('etag', asset.etag);
  if (etagMatches(ifNoneMatch, asset.etag)) {
    void reply.status(304);
    return undefined;
  }
  return asset.body;
}
