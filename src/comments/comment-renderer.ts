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
