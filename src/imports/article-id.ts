import { parse } from 'csv-parse/sync';
import { ARTICLE_ID_PATTERN } from '../common/http/identifiers.js';

/**
 * The article id for an article URL: `?p=4` (or `?page_id=4`) → `p-4`, else the last non-empty
 * path segment, accents folded and other characters outside the id alphabet made `-`.
 */
export function articleIdFromUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim(), 'http://localhost/');
  } catch {
    return null;
  }
  for (const key of ['p', 'page_id']) {
    const value = parsed.searchParams.get(key);
    if (value && /^\d+$/.test(value)) return `${key}-${value}`;
  }
  const segment = parsed.pathname.split('/').filter(Boolean).pop();
  if (!segment) return null;
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // keep it encoded
  }
  const id = decoded
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._~:-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200);
  return ARTICLE_ID_PATTERN.test(id) ? id : null;
}

/** `--map`: CSV rows `url,articleId` (a header row is allowed). */
export function parseArticleMap(csv: string): Map<string, string> {
  const rows: string[][] = parse(csv, {
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  });
  const map = new Map<string, string>();
  for (const [i, row] of rows.entries()) {
    const [url, articleId] = row;
    if (i === 0 && articleId === 'articleId') continue;
    if (!url || !articleId || !ARTICLE_ID_PATTERN.test(articleId)) {
      throw new Error(`--map line ${i + 1}: expected "url,articleId" with a valid article id`);
    }
    map.set(url, articleId);
  }
  return map;
}

/** Looks a URL up in the map, tolerating a missing or extra trailing slash. */
export function mappedArticleId(map: ReadonlyMap<string, string>, url: string): string | null {
  const trimmed = url.trim();
  return (
    map.get(trimmed) ??
    map.get(trimmed.endsWith('/') ? trimmed.slice(0, -1) : `${trimmed}/`) ??
    null
  );
}
