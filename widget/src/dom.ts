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

const HTML_NS = 'http://www.w3.org/1999/xhtml';
/** Exactly what the server's sanitiser lets through (src/comments/comment-renderer.ts). */
const ALLOWED_TAGS = new Set([
  'P',
  'BR',
  'EM',
  'STRONG',
  'CODE',
  'PRE',
  'BLOCKQUOTE',
  'UL',
  'OL',
  'LI',
  'A',
]);
/** Removed with everything inside them; other unknown elements are unwrapped to their text. */
const DROP_TAGS = /^(SCRIPT|STYLE|TEMPLATE|IFRAME|OBJECT|EMBED|NOSCRIPT|TEXTAREA|TITLE|svg|math)$/i;

/**
 * The server already sanitises `bodyHtml`; this is a second, independent allow-list so that a
 * server-side regression still cannot run script in a reader's browser. Parsing happens in a
 * <template>, whose content is inert (no script runs, nothing loads).
 */
export function safeBody(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  clean(template.content);
  return template.content;
}

function clean(parent: ParentNode): void {
  for (const node of Array.from(parent.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) continue;
    if (node.nodeType !== Node.ELEMENT_NODE) {
      node.parentNode?.removeChild(node);
      continue;
    }
    const el = node as Element;
    if (el.namespaceURI !== HTML_NS || !ALLOWED_TAGS.has(el.tagName)) {
      if (DROP_TAGS.test(el.tagName) || el.namespaceURI !== HTML_NS) el.remove();
      else {
        clean(el);
        el.replaceWith(...Array.from(el.childNodes));
      }
      continue;
    }
    const href = el.tagName === 'A' ? el.getAttribute('href') : null;
    for (const name of el.getAttributeNames()) el.removeAttribute(name);
    if (el.tagName === 'A') {
      const safe = httpUrl(href) ?? (href && /^mailto:/i.test(href) ? href : null);
      if (safe) el.setAttribute('href', safe);
      el.setAttribute('rel', 'nofollow ugc noopener noreferrer');
    }
    clean(el);
  }
}
