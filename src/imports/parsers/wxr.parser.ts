import { SaxesParser } from 'saxes';
import {
  ImportParseError,
  parseSourceDate,
  pushParse,
  type SourceComment,
  type ImportInput,
  type SourceItem,
} from './source-record.js';

const STATUSES: Record<string, SourceComment['status']> = {
  '1': 'approved',
  approve: 'approved',
  '0': 'held',
  hold: 'held',
  spam: 'spam',
  trash: 'deleted',
  'post-trashed': 'deleted',
};

/** Comment types that are comments; `pingback` and `trackback` (and others) are skipped. */
const COMMENT_TYPES = new Set(['', 'comment']);

function local(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * WordPress eXtended RSS (WXR 1.0–1.2), streamed: each `<item>`'s comments are emitted as
 * they close. Comment ids are scoped by the item (`<post_id>/<comment_id>`), since exports of
 * merged blogs repeat them.
 */
export function parseWxr(input: ImportInput): AsyncGenerator<SourceItem> {
  const out: SourceItem[] = [];
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  let text = '';
  let item: Record<string, string> | null = null;
  let comment: Record<string, string> | null = null;
  let commentLine = 0;

  parser.on('error', (error) => {
    throw new ImportParseError(parser.line, error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''));
  });
  parser.on('opentag', (tag) => {
    const name = local(tag.name);
    stack.push(name);
    text = '';
    if (name === 'item' && stack.length >= 2) item = {};
    else if (name === 'comment' && item) {
      comment = {};
      commentLine = parser.line;
    }
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('cdata', (t) => {
    text += t;
  });
  parser.on('closetag', () => {
    const name = stack.pop()!;
    const parent = stack[stack.length - 1];
    if (comment && parent === 'comment') {
      comment[name] = text;
    } else if (name === 'comment' && comment && item) {
      out.push(toItem(item, comment, commentLine));
      comment = null;
    } else if (item && parent === 'item') {
      item[name] = text;
    } else if (name === 'item') {
      item = null;
    }
    text = '';
  });

  return pushParse(
    input,
    (chunk) => parser.write(chunk),
    () => {
      parser.close();
    },
    out,
  );
}

function toItem(item: Record<string, string>, c: Record<string, string>, line: number): SourceItem {
  const type = (c.comment_type ?? '').trim();
  if (!COMMENT_TYPES.has(type)) return { kind: 'skip', line, reason: type };
  const id = c.comment_id?.trim();
  if (!id) return { kind: 'error', line, message: 'comment without comment_id' };
  const status = STATUSES[(c.comment_approved ?? '1').trim()];
  if (!status) {
    return { kind: 'error', line, message: `unknown comment_approved "${c.comment_approved}"` };
  }
  const post = item.post_id?.trim() || item.link?.trim() || '';
  const parent = c.comment_parent?.trim();
  const createdAt =
    parseSourceDate(c.comment_date_gmt) ??
    parseSourceDate(c.comment_date) ??
    parseSourceDate(item.post_date_gmt) ??
    parseSourceDate(item.post_date) ??
    parseSourceDate(item.pubDate);
  if (!createdAt) return { kind: 'error', line, message: 'comment without a usable date' };
  const body = (c.comment_content ?? '').trim();
  if (!body) return { kind: 'error', line, message: 'comment with an empty body' };
  return {
    kind: 'comment',
    comment: {
      line,
      ref: `${post}/${id}`,
      parentRef: parent && parent !== '0' ? `${post}/${parent}` : null,
      origin: { format: 'wxr', id: `${post}/${id}` },
      articleUrl: item.link?.trim() || null,
      articleId: null,
      createdAt,
      authorName: c.comment_author ?? '',
      email: c.comment_author_email ?? null,
      website: c.comment_author_url ?? null,
      ip: c.comment_author_IP ?? null,
      content: { html: body },
      status,
    },
  };
}
