/**
 * The server sanitises every body (sanitize-html, a short allow-list); this is a second,
 * independent check in the browser with the same allow-list. The HTML is never handed to the
 * browser's parser (no innerHTML, no DOMParser, whose elements would get their attributes, event
 * handlers included, and start loading images): a small tokenizer reads it and the fragment is
 * built with createElement and text nodes. Allowed: p, br, em, strong, code, pre, blockquote,
 * ul, ol, li, and a with an http, https or mailto href. Script-like elements are dropped with
 * their content; other unknown tags are dropped and their text kept; anything that is not a
 * well-formed tag is text.
 */

const ALLOWED = new Set([
  'p',
  'br',
  'em',
  'strong',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
]);
const VOID = new Set([
  'br',
  'img',
  'hr',
  'input',
  'meta',
  'link',
  'wbr',
  'source',
  'area',
  'col',
  'embed',
  'param',
  'track',
  'base',
]);
/** Dropped with everything inside them. */
const DROPPED = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'object',
  'svg',
  'math',
  'noscript',
  'textarea',
  'title',
  'xmp',
  'noembed',
  'noframes',
  'select',
  'option',
]);

const TAG =
  /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/y;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const ENTITY = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp);/g;
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

export function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, name: string) => {
    if (name[0] !== '#') return NAMED[name] ?? whole;
    const code =
      name[1] === 'x' || name[1] === 'X'
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
      ? String.fromCodePoint(code)
      : '\ufffd';
  });
}

function linkHref(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(decodeEntities(value).trim());
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function hrefOf(attributes: string): string | undefined {
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(attributes); m; m = ATTR.exec(attributes)) {
    if (m[1].toLowerCase() === 'href') return m[2] ?? m[3] ?? m[4] ?? '';
  }
  return undefined;
}

/** A fragment safe to insert: the allowed subset of `html`. */
export function sanitizedFragment(html: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const stack: { tag: string; node: Node }[] = [{ tag: '#root', node: fragment }];
  const parent = () => stack[stack.length - 1].node;
  const text = (value: string) => {
    if (value) parent().appendChild(document.createTextNode(decodeEntities(value)));
  };
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      text(html.slice(i));
      break;
    }
    text(html.slice(i, lt));
    i = lt;
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    TAG.lastIndex = i;
    const m = TAG.exec(html);
    if (!m) {
      text('<');
      i += 1;
      continue;
    }
    i = TAG.lastIndex;
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    if (closing) {
      const at = stack.map((s) => s.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
      continue;
    }
    if (DROPPED.has(tag)) {
      // Skip to the matching end tag (or the end): nothing inside is kept.
      const end = html.toLowerCase().indexOf(`</${tag}`, i);
      if (end === -1) break;
      const close = html.indexOf('>', end);
      i = close === -1 ? html.length : close + 1;
      continue;
    }
    if (!ALLOWED.has(tag)) continue;
    const el = document.createElement(tag);
    if (tag === 'a') {
      const href = linkHref(hrefOf(m[3]));
      if (href) el.setAttribute('href', href);
      el.setAttribute('rel', 'nofollow ugc noopener noreferrer');
      el.setAttribute('target', '_blank');
    }
    parent().appendChild(el);
    if (!VOID.has(tag) && stack.length < 64) stack.push({ tag, node: el });
  }
  return fragment;
}
