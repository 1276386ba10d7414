/**
 * The embeddable comments widget. A publisher adds
 *
 *   <div data-comments data-site="default" data-article="an-article-id"></div>
 *   <script src="https://comments.example.com/widget.js" defer></script>
 *
 * and every `[data-comments]` element on the page becomes a comment section. The service's
 * origin is taken from this script's own URL, so the page may live on another origin.
 * Optional attributes: `data-sort="newest"` (or `top`), `data-page-size="50"` (1..200),
 * `data-lang` (else the page's `<html lang>`, else the browser's), `data-theme` (`auto`,
 * `light`, `dark`), `data-api` (another origin for the API).
 * `data-sso-token` (the publisher's signed identity token);
 * `window.commentsWidget.setIdentity(jwt)` signs every widget on the page in (null: out).
 */
import { pickLanguage } from './i18n/index.js';
import { CommentsWidget } from './widget.js';

function scriptOrigin(): string {
  const current = document.currentScript as HTMLScriptElement | null;
  const src =
    current?.src ||
    document.querySelector<HTMLScriptElement>('script[src*="widget.js"]')?.src ||
    location.href;
  return new URL(src, location.href).origin;
}

const origin = scriptOrigin();
const mounted = new WeakSet<Element>();
const widgets: CommentsWidget[] = [];
/** Set by `setIdentity`: applies to every widget, also those mounted later. */
let pageIdentity: string | null | undefined;

/** Mounts every not-yet-mounted `[data-comments]` element under `root` (for pages that add them later). */
function mount(root: ParentNode = document): void {
  root.querySelectorAll<HTMLElement>('[data-comments]').forEach((el) => {
    if (mounted.has(el) || el.shadowRoot) return;
    mounted.add(el);
    const article = el.dataset.article;
    if (!article) {
      console.warn('comments widget: data-article is missing on', el);
      return;
    }
    const size = parseInt(el.dataset.pageSize ?? '', 10);
    const widget = new CommentsWidget(el, {
      origin: el.dataset.api ? new URL(el.dataset.api, location.href).origin : origin,
      site: el.dataset.site || 'default',
      article,
      sort: el.dataset.sort === 'newest' || el.dataset.sort === 'top' ? el.dataset.sort : 'oldest',
      theme:
        el.dataset.theme === 'light' || el.dataset.theme === 'dark' ? el.dataset.theme : 'auto',
      pageSize: size >= 1 && size <= 200 ? size : 50,
      lang: pickLanguage([
        el.dataset.lang,
        el.closest('[lang]')?.getAttribute('lang'),
        ...(navigator.languages ?? []),
        navigator.language,
      ]),
      identity: pageIdentity !== undefined ? pageIdentity : el.dataset.ssoToken || null,
    });
    widgets.push(widget);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => mount());
else mount();

/** Signs the reader in on every widget of the page with the publisher's identity token. */
function setIdentity(token: string | null): void {
  pageIdentity = typeof token === 'string' && token ? token : null;
  for (const widget of widgets) widget.setIdentity(pageIdentity);
}

(
  window as unknown as { commentsWidget: { mount: typeof mount; setIdentity: typeof setIdentity } }
).commentsWidget = { mount, setIdentity };
