import DOMPurify, { type Config } from 'dompurify';

/**
 * The server sanitises every body (sanitize-html, a short allow-list); this is a second,
 * independent check in the browser, by DOMPurify, with the same allow-list: p, br, em, strong,
 * code, pre, blockquote, ul, ol, li, and a with an http, https or mailto href. DOMPurify parses
 * in an inert document (nothing loads, no script runs); script-like elements go with their
 * content, other unknown elements are unwrapped to their text.
 */
const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS: ['p', 'br', 'em', 'strong', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'],
  ALLOWED_ATTR: ['href'],
  ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A') {
    node.setAttribute('rel', 'nofollow ugc noopener noreferrer');
    node.setAttribute('target', '_blank');
  }
});

/** A fragment safe to insert: the allowed subset of `html`. */
export function sanitizedFragment(html: string): DocumentFragment {
  return DOMPurify.sanitize(html, CONFIG);
}
