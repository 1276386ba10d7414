import DOMPurify, { type Config } from 'dompurify';

/**
 * DOM helpers. Text always goes in through textContent; the only HTML the widget ever parses
 * is a comment's server-sanitised `bodyHtml`, and that goes through `safeBody` below as well.
 */

type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** An http(s) URL, normalised, or null for anything else (javascript:, data:, garbage). */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Exactly what the server's sanitiser lets through (src/comments/comment-renderer.ts). */
const PURIFY: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS: ['p', 'br', 'em', 'strong', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'],
  ALLOWED_ATTR: ['href'],
  ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A') node.setAttribute('rel', 'nofollow ugc noopener noreferrer');
});

/**
 * The server already sanitises `bodyHtml`; this is a second, independent check, by DOMPurify
 * with the server's allow-list, so that a server-side regression still cannot run script in a
 * reader's browser. DOMPurify parses in an inert document (no script runs, nothing loads);
 * script-like elements go with their content, other unknown elements are unwrapped to their text.
 */
export function safeBody(html: string): DocumentFragment {
  return DOMPurify.sanitize(html, PURIFY);
}
