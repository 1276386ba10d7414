import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Comment bodies are a small Markdown subset (emphasis, code, quotes, lists, links, line
 * breaks); raw HTML is escaped, then the result goes through an allow-list sanitiser, so the
 * stored `bodyHtml` is safe to insert as HTML whatever the reader typed.
 */
const markdown = new MarkdownIt('zero', {
  html: false,
  linkify: true,
  breaks: true,
  typographer: false,
})
  .enable([
    'paragraph',
    'newline',
    'emphasis',
    'backticks',
    'blockquote',
    'list',
    'link',
    'linkify',
    'escape',
    'entity',
    'code',
    'fence',
  ])
  .enable(['linkify'], true);

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: {
        ...(attribs.href ? { href: attribs.href } : {}),
        rel: 'nofollow ugc noopener noreferrer',
      },
    }),
  },
};

export function renderCommentBody(body: string): string {
  return sanitizeHtml(markdown.render(body), SANITIZE_OPTIONS).trim();
}

/** Links in the rendered body (what a reader could click). */
export function countLinks(bodyHtml: string): number {
  return bodyHtml.match(/<a\s[^>]*href=/g)?.length ?? 0;
}

/**
 * Checks stored or imported HTML against the same allow-list as new comments (what
 * `renderCommentBody` produces passes through unchanged).
 */
export function sanitizeCommentHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS).trim();
}

/** Tags an imported body may use before the allow-list: `b`/`i` become `strong`/`em`. */
const IMPORT_BLOCKS = /<(p|blockquote|ul|ol|pre)\b/i;
const IMPORT_PREPASS: sanitizeHtml.IOptions = {
  allowedTags: [...(SANITIZE_OPTIONS.allowedTags as string[]), 'b', 'i'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { b: 'strong', i: 'em' },
};

/**
 * An imported HTML body (WordPress `comment_content`, a Disqus `message`): other tags are
 * dropped (their text kept), `b`/`i` become `strong`/`em`, blank lines make paragraphs and
 * line breaks `<br>` as WordPress shows them, then the same allow-list as new comments.
 */
export function renderImportedHtml(html: string): string {
  const text = html.replace(/\r\n?/g, '\n').trim();
  // Plain text (most archived comments): the allow-list would return the paragraphs as they
  // are, so it is skipped (a test holds the two equal).
  if (!/[<>&]/.test(text)) return importParagraphs(text);
  let converted = sanitizeHtml(text, IMPORT_PREPASS).trim();
  if (!IMPORT_BLOCKS.test(converted)) converted = importParagraphs(converted);
  return sanitizeCommentHtml(converted);
}

/** Blank lines make paragraphs, line breaks `<br />`, as WordPress displays comments. */
export function importParagraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.replace(/\n/g, '<br />\n')}</p>`)
    .join('\n');
}
