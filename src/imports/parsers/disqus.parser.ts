import { SaxesParser } from 'saxes';
import {
  ImportParseError,
  parseSourceDate,
  pushParse,
  type SourceComment,
  type ImportInput,
  type SourceItem,
} from './source-record.js';

function local(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function dsqId(attributes: Record<string, string>): string | null {
  for (const [name, value] of Object.entries(attributes)) {
    if (local(name) === 'id') return value.trim() || null;
  }
  return null;
}

/**
 * A Disqus export, streamed: `<thread>`s (their links) come before the `<post>`s that point at
 * them by `dsq:id`; a post whose thread does not exist (or never appears) is reported.
 */
export function parseDisqus(input: ImportInput): AsyncGenerator<SourceItem> {
  const out: SourceItem[] = [];
  const parser = new SaxesParser({ xmlns: false, position: true });
  const threads = new Map<string, { link: string; identifier: string }>();
  const waiting: Array<{ post: Record<string, string>; line: number }> = [];
  const stack: string[] = [];
  let text = '';
  let thread: { id: string | null; link: string; identifier: string } | null = null;
  let post: Record<string, string> | null = null;
  let postLine = 0;

  parser.on('error', (error) => {
    throw new ImportParseError(parser.line, error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''));
  });
  parser.on('opentag', (tag) => {
    const name = local(tag.name);
    stack.push(name);
    text = '';
    const attributes = tag.attributes as Record<string, string>;
    if (stack.length === 2 && name === 'thread') {
      thread = { id: dsqId(attributes), link: '', identifier: '' };
    } else if (stack.length === 2 && name === 'post') {
      post = { dsqId: dsqId(attributes) ?? '' };
      postLine = parser.line;
    } else if (post && stack.length === 3 && (name === 'thread' || name === 'parent')) {
      post[name] = dsqId(attributes) ?? '';
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
    const depth = stack.length;
    if (thread && depth === 2 && name === 'link') thread.link = text.trim();
    else if (thread && depth === 2 && name === 'id') thread.identifier = text.trim();
    else if (thread && depth === 1 && name === 'thread') {
      if (thread.id) threads.set(thread.id, { link: thread.link, identifier: thread.identifier });
      thread = null;
    } else if (post && depth === 2 && name !== 'thread' && name !== 'parent') {
      post[name] = text;
    } else if (post && depth === 3 && stack[2] === 'author') {
      post[`author.${name}`] = text;
    } else if (post && depth === 1 && name === 'post') {
      if (threads.has(post.thread ?? '')) out.push(toItem(post, postLine, threads));
      else waiting.push({ post, line: postLine });
      post = null;
    }
    text = '';
  });

  return pushParse(
    input,
    (chunk) => parser.write(chunk),
    () => {
      parser.close();
      for (const { post: p, line } of waiting) out.push(toItem(p, line, threads));
    },
    out,
  );
}

function toItem(
  p: Record<string, string>,
  line: number,
  threads: Map<string, { link: string; identifier: string }>,
): SourceItem {
  if (!p.dsqId) return { kind: 'error', line, message: 'post without dsq:id' };
  if (!threads.has(p.thread ?? '')) {
    return {
      kind: 'error',
      line,
      message: `orphan: post ${p.dsqId} belongs to thread ${p.thread || '(none)'}, which does not exist`,
    };
  }
  const { link, identifier } = threads.get(p.thread)!;
  if (!link) {
    return { kind: 'error', line, message: `thread ${p.thread} of post ${p.dsqId} has no link` };
  }
  const createdAt = parseSourceDate(p.createdAt);
  if (!createdAt) return { kind: 'error', line, message: 'post without a usable createdAt' };
  const html = (p.message ?? '').trim();
  if (!html) return { kind: 'error', line, message: 'post with an empty message' };
  const yes = (v: string | undefined) => v?.trim() === 'true';
  const status: SourceComment['status'] = yes(p.isSpam)
    ? 'spam'
    : yes(p.isDeleted)
      ? 'deleted'
      : 'approved';
  return {
    kind: 'comment',
    comment: {
      line,
      ref: p.dsqId,
      parentRef: p.parent || null,
      origin: { format: 'disqus', id: p.dsqId },
      articleUrl: link,
      articleId: null,
      fallbackArticleId: identifier || null,
      createdAt,
      authorName: p['author.name'] ?? p['author.username'] ?? '',
      email: p['author.email'] ?? null,
      website: p['author.link'] ?? null,
      ip: p.ipAddress ?? null,
      content: { html },
      status,
    },
  };
}
