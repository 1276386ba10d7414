import { Api, ApiError, type FieldError, type PublicComment, type Sort } from './api.js';
import { h, httpUrl, safeBody } from './dom.js';
import { Messages } from './i18n/index.js';
import { ProofOfWork } from './pow.js';
import { Likes, OwnComments, TrustReceipts, type OwnComment } from './storage.js';
import { STYLES } from './styles.js';
import { ReceiptBook, TRUST_STYLES, TrustActions } from './trust.js';

export interface WidgetOptions {
  /** Origin of the comments service (where widget.js came from). */
  origin: string;
  site: string;
  article: string;
  sort: Sort;
  pageSize: number;
  /** `auto` (follows prefers-color-scheme), `light` or `dark`. */
  theme: 'auto' | 'light' | 'dark';
  /** Language of the messages (a catalogue in ./i18n). */
  lang: string;
  /** The publisher's signed identity token (SSO), from `data-sso-token` or `setIdentity`. */
  identity?: string | null;
}

/** The `name` claim of an identity token, for display only (the server verifies the token). */
export function identityName(token: string): string | null {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as { name?: unknown };
    return typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : null;
  } catch {
    return null;
  }
}

type Field = 'name' | 'email' | 'website' | 'body';
type Live = 'connecting' | 'open' | 'off';

/** Browsers allow ~6 connections per origin over HTTP/1.1: widgets past this many poll instead. */
const MAX_STREAMS = 3;
const FALLBACK_REFRESH_MS = 30_000;
/** How long to wait between looks at the author's own pending comments. */
const POLL_DELAYS_MS = [3_000, 5_000, 10_000, 20_000, 30_000, 60_000];
const FEATURED_LIMIT = 10;
const SORTS: Sort[] = ['oldest', 'newest', 'top'];
let openStreams = 0;

/** The heading: "Be the first to comment" invites only while the article is open. */
export function countText(m: Messages, n: number, closed = false): string {
  return n <= 0 && !closed ? m.t('beFirst') : m.t('count', { n: Math.max(0, n) });
}

function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'cw-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function hue(tag: string | null, name: string): number {
  if (tag && /^[0-9a-f]{2}/i.test(tag))
    return Math.round((parseInt(tag.slice(0, 2), 16) * 360) / 256);
  let n = 0;
  for (const ch of name) n = (n * 31 + ch.charCodeAt(0)) % 360;
  return n;
}

/** One comment section: the thread, the author's own pending comments and "Leave a Reply". */
export class CommentsWidget {
  private readonly api: Api;
  private readonly own: OwnComments;
  private readonly receipts: TrustReceipts;
  private readonly pow: ProofOfWork;
  /** Trust and safety: Report, the author's Edit / Delete, the statement of reasons. */
  private readonly trust: TrustActions;
  private readonly m: Messages;
  private readonly likes: Likes;
  private sort: Sort;
  private readonly sortButtons = new Map<Sort, HTMLButtonElement>();
  private readonly featured: HTMLElement;
  private readonly featuredList: HTMLOListElement;
  private readonly closedNote: HTMLParagraphElement;
  private featuredSeen = false;
  private closed = false;

  private readonly heading: HTMLHeadingElement;
  private readonly status: HTMLParagraphElement;
  private readonly list: HTMLOListElement;
  private readonly more: HTMLButtonElement;
  private readonly home: HTMLDivElement;
  private readonly form: HTMLFormElement;
  private readonly formTitle: HTMLHeadingElement;
  private readonly cancel: HTMLButtonElement;
  private readonly formStatus: HTMLParagraphElement;
  private readonly submitButton: HTMLButtonElement;
  private readonly inputs: Record<Field, HTMLInputElement | HTMLTextAreaElement>;
  private readonly errors: Record<Field, HTMLParagraphElement>;
  private readonly honeypot: HTMLInputElement;
  /** The "notify me of replies" checkbox, and what shows who is signed in (SSO). */
  private readonly notify: HTMLInputElement;
  private readonly signedIn: HTMLParagraphElement;
  private readonly anonymousParts: HTMLElement[] = [];
  private identity: string | null = null;

  /** Public comments shown, by id. */
  private readonly rendered = new Map<string, HTMLLIElement>();
  private readonly names = new Map<string, string>();
  /** Every approved comment this view has counted (shown or not). */
  private readonly known = new Set<string>();
  /** The author's own comments awaiting moderation, shown in place. */
  private readonly pending = new Map<string, { own: OwnComment; li: HTMLLIElement }>();
  private count = 0;
  private nextCursor: string | null = null;
  private loaded = false;

  private replyTo: { id: string; name: string } | null = null;
  /** The submission being attempted: retried with the same key and body until answered. */
  private attempt: { key: string; body: string; signature: string } | null = null;
  private submitting = false;
  private blockedUntil = 0;

  private stream: EventSource | null = null;
  private streamRetryMs = 60_000;
  private live: Live = 'off';
  private fallbackTimer: ReturnType<typeof setInterval> | undefined;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private pollIndex = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly options: WidgetOptions,
  ) {
    this.api = new Api(options.origin, options.site, options.article);
    this.own = new OwnComments(options.origin, options.site, options.article);
    this.receipts = new TrustReceipts(options.origin, options.site);
    this.pow = new ProofOfWork(this.api);
    const m = (this.m = new Messages(options.lang));
    this.likes = new Likes(options.origin, options.site);
    this.sort = options.sort;
    host.setAttribute('data-theme', options.theme);

    const shadow = host.attachShadow({ mode: 'open' });
    this.heading = h('h2', { id: 'title' }, m.t('comments'));
    this.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.list = h('ol', { class: 'thread', 'aria-labelledby': 'title' });
    this.more = h('button', { type: 'button', class: 'button secondary' }, m.t('loadMore'));
    this.more.hidden = true;
    const sorts = h('div', { class: 'sorts', role: 'group', 'aria-label': m.t('sortLabel') });
    for (const sort of SORTS) {
      const button = h(
        'button',
        { type: 'button', class: 'sort', 'aria-pressed': String(sort === this.sort) },
        m.t(sort),
      );
      button.addEventListener('click', () => void this.changeSort(sort));
      this.sortButtons.set(sort, button);
      sorts.append(button);
    }
    this.featuredList = h('ol', { class: 'thread', 'aria-labelledby': 'featured-title' });
    this.featured = h(
      'section',
      { class: 'featured', 'aria-labelledby': 'featured-title' },
      h('h3', { id: 'featured-title' }, m.t('featuredComments')),
      this.featuredList,
    );
    this.featured.hidden = true;
    this.closedNote = h('p', { class: 'closed' }, m.t('closed'));
    this.closedNote.hidden = true;

    const field = (
      name: Field,
      label: string,
      control: HTMLInputElement | HTMLTextAreaElement,
      required: boolean,
    ): HTMLDivElement => {
      const error = h('p', { class: 'error', id: `${name}-error` });
      control.id = name;
      control.name = name;
      control.required = required;
      if (required) control.setAttribute('aria-required', 'true');
      control.setAttribute('aria-describedby', error.id);
      control.addEventListener('input', () => this.clearError(name));
      this.errors[name] = error;
      this.inputs[name] = control;
      return h(
        'div',
        { class: 'field' },
        h(
          'label',
          { for: name },
          label,
          required && h('span', { class: 'req', 'aria-hidden': 'true' }, '*'),
        ),
        control,
        error,
      );
    };
    this.inputs = {} as Record<Field, HTMLInputElement | HTMLTextAreaElement>;
    this.errors = {} as Record<Field, HTMLParagraphElement>;

    this.formTitle = h('h3', { id: 'form-title' }, m.t('leaveReply'));
    this.cancel = h('button', { type: 'button', class: 'link' }, m.t('cancelReply'));
    this.cancel.hidden = true;
    this.honeypot = h('input', {
      id: 'hp',
      name: 'hp',
      type: 'text',
      tabindex: '-1',
      autocomplete: 'off',
    });
    this.notify = h('input', { id: 'notify', name: 'notify', type: 'checkbox' });
    this.signedIn = h('p', { class: 'note signed-in' });
    this.signedIn.hidden = true;
    this.submitButton = h('button', { type: 'submit', class: 'button' }, m.t('post'));
    this.formStatus = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
    this.form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'form-title' },
      h('div', { class: 'title' }, this.formTitle, this.cancel),
      this.anonymous(
        h('p', { class: 'note' }, m.t('note') + ' ', h('span', { class: 'req' }, '*')),
      ),
      this.signedIn,
      this.anonymous(
        field(
          'name',
          m.t('name'),
          h('input', { type: 'text', autocomplete: 'name', maxlength: '100' }),
          true,
        ),
      ),
      this.anonymous(
        field(
          'email',
          m.t('email'),
          h('input', { type: 'email', autocomplete: 'email', maxlength: '254' }),
          true,
        ),
      ),
      this.anonymous(
        field(
          'website',
          m.t('website'),
          h('input', { type: 'url', autocomplete: 'url', maxlength: '2048' }),
          false,
        ),
      ),
      field('body', m.t('comment'), h('textarea', { rows: '6', maxlength: '10000' }), true),
      h(
        'div',
        { class: 'field notify' },
        this.notify,
        h('label', { for: 'notify' }, m.t('notifyReplies')),
        h('p', { class: 'note' }, m.t('notifyHint')),
      ),
      // Honeypot: people never see or reach it; bots that fill every field do.
      h(
        'div',
        { class: 'hp', 'aria-hidden': 'true' },
        h('label', { for: 'hp' }, m.t('honeypot')),
        this.honeypot,
      ),
      this.submitButton,
      this.formStatus,
    );
    this.home = h('div', {}, this.form);
    this.setIdentity(options.identity ?? null);

    shadow.append(
      h('style', {}, STYLES + TRUST_STYLES),
      h(
        'section',
        { class: 'root', 'aria-labelledby': 'title', lang: m.lang, dir: m.dir },
        this.heading,
        this.status,
        this.featured,
        sorts,
        this.list,
        h('p', { class: 'more' }, this.more),
        this.closedNote,
        this.home,
      ),
    );

    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.form.addEventListener('focusin', () => this.pow.prepare());
    this.form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.replyTo) this.cancelReply(true);
    });
    this.cancel.addEventListener('click', () => this.cancelReply(true));
    this.more.addEventListener('click', () => void this.loadMore());
    this.trust = new TrustActions(
      {
        api: this.api,
        m: this.m,
        root: shadow,
        announce: (text, bad) => this.say(this.status, text, bad),
        edited: (id, body) => this.editedOwn(id, body),
        deleted: (id) => this.deletedOwn(id),
      },
      new ReceiptBook(options.origin, options.site, options.article),
    );
    this.list.addEventListener('click', (event) => {
      if (this.trust.handleClick(event.target as Element)) return;
      const button = (event.target as Element).closest('button[data-reply]');
      if (button) this.startReply(button.getAttribute('data-reply')!);
      const like = (event.target as Element).closest<HTMLButtonElement>('button[data-like]');
      if (like) void this.toggleLike(like);
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      if (this.pending.size) this.schedulePoll(true, 0);
      if (this.live !== 'open' && this.loaded) void this.refresh().catch(() => undefined);
    });

    void this.start();
  }

  // ---- the thread ---------------------------------------------------------------------------

  private async start(attempt = 0): Promise<void> {
    this.say(this.status, this.m.t('loading'));
    try {
      await this.refresh();
    } catch (error) {
      if (
        error instanceof ApiError &&
        error.status >= 400 &&
        error.status < 500 &&
        error.status !== 429
      ) {
        // An unknown site or a malformed article id: retrying will not help.
        console.warn(`comments widget: ${error.message}`);
        this.say(this.status, this.m.t('unavailable'), true);
        this.home.hidden = true;
        return;
      }
      this.say(this.status, this.m.t('loadFailed'));
      setTimeout(() => void this.start(attempt + 1), Math.min(60_000, 5_000 * 2 ** attempt));
      return;
    }
    this.say(this.status, '');
    this.loaded = true;
    for (const own of this.own.list()) {
      if (this.rendered.has(own.id)) this.own.remove(own.id);
      else this.showOwn(own);
    }
    this.schedulePoll(true);
    this.connect();
  }

  /** Reads the thread from the top again and merges what is new (no re-render, no lost focus). */
  private async refresh(): Promise<void> {
    const limit = Math.min(200, Math.max(this.options.pageSize, this.rendered.size));
    const page = await this.api.page(limit, this.sort, null);
    this.setCount(page.count);
    this.setClosed(page.closed === true);
    this.place(page.comments, true);
    if (this.nextCursor === null) this.setNext(page.nextCursor);
    // Picks may sit beyond the first page: look once, then whenever the thread shows any.
    if (!this.featuredSeen || page.comments.some((c) => c.featured) || !this.featured.hidden) {
      this.featuredSeen = true;
      await this.loadFeatured().catch(() => undefined);
    }
  }

  /** Editors' picks, shown first in a section of their own. */
  private async loadFeatured(): Promise<void> {
    const page = await this.api.page(FEATURED_LIMIT, 'oldest', null, true);
    this.featuredList.replaceChildren(
      ...page.comments.filter((c) => c.author && !c.deleted).map((c) => this.renderFeatured(c)),
    );
    this.featured.hidden = !this.featuredList.childElementCount;
  }

  private renderFeatured(comment: PublicComment): HTMLLIElement {
    const author = comment.author!;
    const body = h('div', { class: 'body' });
    body.append(safeBody(comment.bodyHtml));
    return h(
      'li',
      { class: 'item' },
      h(
        'article',
        { class: 'comment', 'aria-label': this.m.t('commentBy', { name: author.name }) },
        this.meta(
          author.name,
          author.website,
          author.avatar,
          comment.publishedAt ?? comment.createdAt,
        ),
        body,
      ),
    );
  }

  private setClosed(closed: boolean): void {
    this.closed = closed;
    this.heading.textContent = countText(this.m, this.count, closed);
    this.closedNote.hidden = !closed;
    this.home.hidden = closed;
    this.list.classList.toggle('closed', closed);
    if (closed && this.replyTo) this.cancelReply(false);
  }

  private async changeSort(sort: Sort): Promise<void> {
    if (sort === this.sort) return;
    this.sort = sort;
    for (const [s, button] of this.sortButtons)
      button.setAttribute('aria-pressed', String(s === sort));
    if (this.replyTo) this.cancelReply(false);
    const own = Array.from(this.pending.values(), (p) => p.own);
    this.pending.clear();
    this.list.replaceChildren();
    this.rendered.clear();
    this.setNext(null);
    try {
      await this.refresh();
    } catch {
      this.say(this.status, this.m.t('moreFailed'));
    }
    for (const o of own) this.showOwn(o);
  }

  private async toggleLike(button: HTMLButtonElement): Promise<void> {
    const id = button.getAttribute('data-like')!;
    if (button.getAttribute('aria-busy')) return;
    const on = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-busy', 'true');
    try {
      const { likes } = await this.api.react(id, on);
      this.likes.set(id, on);
      button.setAttribute('aria-pressed', String(on));
      this.showLikes(id, likes);
    } catch (error) {
      const limited = error instanceof ApiError && error.status === 429;
      this.say(this.status, this.m.t(limited ? 'likeTooQuickly' : 'likeFailed'), true);
    } finally {
      button.removeAttribute('aria-busy');
    }
  }

  private showLikes(id: string, likes: number): void {
    const count = this.rendered.get(id)?.querySelector(':scope > .comment .likes');
    if (count) count.textContent = likes > 0 ? this.m.t('likes', { n: likes }) : '';
  }

  private async loadMore(): Promise<void> {
    if (!this.nextCursor || this.more.getAttribute('aria-busy')) return;
    this.more.setAttribute('aria-busy', 'true');
    try {
      const page = await this.api.page(this.options.pageSize, this.sort, this.nextCursor);
      this.setCount(page.count);
      const added = this.place(page.comments, false);
      this.setNext(page.nextCursor);
      // The button goes away on the last page: keep keyboard users where the new comments are.
      if (!page.nextCursor) added[0]?.focus();
      this.say(this.status, this.m.t('moreShown', { n: added.length }));
    } catch {
      this.say(this.status, this.m.t('moreFailed'));
    } finally {
      this.more.removeAttribute('aria-busy');
    }
  }

  private setCount(n: number): void {
    this.count = n;
    this.heading.textContent = countText(this.m, n, this.closed);
  }

  private setNext(cursor: string | null): void {
    this.nextCursor = cursor;
    this.more.hidden = !cursor;
  }

  /**
   * Inserts a page of comments (depth-first, as the API orders them) into the nested lists.
   * `fromTop`: the page starts at the top of the thread; otherwise it continues what is shown.
   */
  private place(comments: PublicComment[], fromTop: boolean): HTMLLIElement[] {
    const previous = new Map<string, Element | null>();
    const added: HTMLLIElement[] = [];
    for (const comment of comments) {
      this.known.add(comment.id);
      const key = comment.parentId ?? '';
      const existing = this.rendered.get(comment.id);
      if (existing) {
        previous.set(key, existing);
        if (comment.likes !== undefined) this.showLikes(comment.id, comment.likes);
        continue;
      }
      const ownPending = this.pending.get(comment.id);
      if (ownPending && comment.deleted) {
        // The author's own edit awaiting moderation, held up by replies: keep showing theirs.
        previous.set(key, ownPending.li);
        continue;
      }
      const container = comment.parentId ? this.childrenOf(comment.parentId) : this.list;
      if (!container) continue;
      const li = this.renderComment(comment);
      let anchor = previous.get(key);
      if (anchor === undefined) anchor = fromTop ? null : lastPublic(container);
      if (anchor) anchor.after(li);
      else container.prepend(li);
      previous.set(key, li);
      added.push(li);
      this.dropOwn(comment.id);
    }
    return added;
  }

  private childrenOf(parentId: string): HTMLOListElement | null {
    const parent = this.rendered.get(parentId) ?? this.pending.get(parentId)?.li;
    if (!parent) return null;
    let children = parent.querySelector<HTMLOListElement>(':scope > ol.children');
    if (!children) {
      children = h('ol', { class: 'children' });
      parent.append(children);
    }
    return children;
  }

  private renderComment(comment: PublicComment): HTMLLIElement {
    const li = h('li', {
      class: 'item',
      id: `c-${comment.id}`,
      'data-id': comment.id,
      tabindex: '-1',
    });
    this.rendered.set(comment.id, li);
    const author = comment.author;
    if (comment.deleted || !author) {
      li.append(h('div', { class: 'comment' }, h('p', { class: 'removed' }, this.m.t('removed'))));
      return li;
    }
    this.names.set(comment.id, author.name);
    const when = comment.publishedAt ?? comment.createdAt;
    const body = h('div', { class: 'body' });
    body.append(safeBody(comment.bodyHtml));
    const likes = comment.likes ?? 0;
    const meta = this.meta(author.name, author.website, author.avatar, when);
    if (comment.featured) meta.append(h('span', { class: 'badge' }, this.m.t('featured')));
    li.append(
      h(
        'article',
        { class: 'comment', 'aria-label': this.m.t('commentBy', { name: author.name }) },
        meta,
        body,
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'link like',
              'data-like': comment.id,
              'aria-pressed': String(this.likes.has(comment.id)),
              'aria-label': this.m.t('likeComment', { name: author.name }),
            },
            h('span', { 'aria-hidden': 'true' }, '♥ '),
            this.m.t('like'),
          ),
          h('span', { class: 'likes' }, likes > 0 ? this.m.t('likes', { n: likes }) : ''),
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              'data-reply': comment.id,
              'aria-label': this.m.t('replyTo', { name: author.name }),
            },
            this.m.t('reply'),
          ),
          ...this.trust.actionsFor(comment, author.name),
        ),
      ),
    );
    return li;
  }

  /** The author edited a published comment: it awaits moderation again, in place. */
  private editedOwn(id: string, body: string): void {
    const li = this.rendered.get(id);
    const receipt = this.trust.receipts.get(id);
    if (!li || !receipt) return;
    this.rendered.delete(id);
    this.known.delete(id);
    this.setCount(Math.max(0, this.count - 1));
    const own: OwnComment = {
      id,
      receipt: receipt.receipt,
      parentId: null,
      name: this.names.get(id) ?? '',
      website: null,
      body,
      at: receipt.at,
    };
    const article = li.querySelector(':scope > .comment');
    const meta = article?.querySelector(':scope > .meta');
    li.classList.add('pending');
    li.id = `p-${id}`;
    article?.replaceChildren(
      ...(meta ? [meta] : []),
      h('p', { class: 'notice' }, this.m.t('awaiting')),
      h('div', { class: 'body preview' }, body),
    );
    this.own.add(own);
    this.pending.set(id, { own, li });
    this.schedulePoll(true);
  }

  /** The author deleted their comment: a tombstone where replies hang off it, else nothing. */
  private deletedOwn(id: string): void {
    const li = this.rendered.get(id) ?? this.pending.get(id)?.li;
    this.pending.delete(id);
    this.own.remove(id);
    if (!li) return;
    if (this.known.delete(id)) this.setCount(Math.max(0, this.count - 1));
    const children = li.querySelector(':scope > ol.children');
    if (children?.children.length) {
      li.querySelector(':scope > .comment')?.replaceWith(
        h('div', { class: 'comment' }, h('p', { class: 'removed' }, this.m.t('removed'))),
      );
      li.classList.remove('pending');
    } else {
      li.remove();
      this.rendered.delete(id);
    }
  }

  private meta(
    name: string,
    website: string | null,
    tag: string | null,
    when: string,
  ): HTMLDivElement {
    const url = httpUrl(website);
    const avatar = h(
      'span',
      { class: 'avatar', 'aria-hidden': 'true' },
      (Array.from(name.trim())[0] ?? '?').toUpperCase(),
    );
    avatar.style.setProperty('--cw-hue', String(hue(tag, name)));
    return h(
      'div',
      { class: 'meta' },
      avatar,
      h(
        'span',
        { class: 'author' },
        url ? h('a', { href: url, rel: 'nofollow ugc noopener' }, name) : name,
      ),
      h('time', { datetime: when }, this.m.date(when)),
    );
  }

  // ---- live updates -------------------------------------------------------------------------

  /** `event: comment.approved` on the article's stream, or nothing if the stream is unavailable. */
  private connect(): void {
    if (this.stream) return;
    if (typeof EventSource !== 'function' || openStreams >= MAX_STREAMS) {
      this.setLive('off');
      return;
    }
    openStreams++;
    const stream = new EventSource(this.api.streamUrl);
    this.stream = stream;
    this.setLive('connecting');
    stream.onopen = () => {
      this.streamRetryMs = 60_000;
      this.setLive('open');
      // Catch up on anything published while the stream was not connected.
      void this.refresh().catch(() => undefined);
    };
    stream.addEventListener('comment.approved', (event) => {
      try {
        this.onApproved(JSON.parse((event as MessageEvent<string>).data) as PublicComment);
      } catch {
        // A malformed event changes nothing.
      }
    });
    stream.onerror = () => {
      if (stream.readyState !== EventSource.CLOSED) {
        this.setLive('connecting'); // the browser reconnects by itself, sending Last-Event-ID
        return;
      }
      // Refused (e.g. no stream endpoint): refresh periodically; try the stream again later.
      stream.close();
      this.stream = null;
      openStreams--;
      this.setLive('off');
      setTimeout(() => this.connect(), this.streamRetryMs);
      this.streamRetryMs = Math.min(this.streamRetryMs * 2, 600_000);
    };
  }

  private setLive(state: Live): void {
    this.live = state;
    this.host.setAttribute('data-live', state);
    if (state === 'open') {
      clearInterval(this.fallbackTimer);
      this.fallbackTimer = undefined;
    } else if (this.fallbackTimer === undefined) {
      this.fallbackTimer = setInterval(() => {
        if (document.visibilityState === 'visible') void this.refresh().catch(() => undefined);
      }, FALLBACK_REFRESH_MS);
    }
  }

  private onApproved(comment: PublicComment): void {
    if (!comment || typeof comment.id !== 'string' || typeof comment.bodyHtml !== 'string') return;
    if (comment.articleId !== undefined && comment.articleId !== this.options.article) return;
    if (!this.known.has(comment.id)) {
      this.known.add(comment.id);
      this.setCount(this.count + 1);
    }
    if (this.rendered.has(comment.id)) return;
    let container: HTMLOListElement | null;
    if (comment.parentId) container = this.childrenOf(comment.parentId);
    else if (this.sort === 'newest' || this.nextCursor === null) container = this.list;
    else container = null; // it will come with "Load more"
    const mine = this.pending.has(comment.id);
    this.dropOwn(comment.id);
    if (!container) return;
    const li = this.renderComment(comment);
    if (!comment.parentId && this.sort === 'newest') container.prepend(li);
    else {
      const last = lastPublic(container);
      if (last) last.after(li);
      else container.prepend(li);
    }
    const name = this.names.get(comment.id);
    this.say(
      this.status,
      mine
        ? this.m.t('published')
        : name
          ? this.m.t('newCommentBy', { name })
          : this.m.t('newComment'),
    );
  }

  // ---- the author's own comments -------------------------------------------------------------

  private showOwn(own: OwnComment): void {
    if (this.pending.has(own.id)) return;
    const li = h(
      'li',
      { class: 'item pending', id: `p-${own.id}`, tabindex: '-1' },
      h(
        'article',
        { class: 'comment', 'aria-label': this.m.t('yourComment') },
        this.meta(own.name, own.website, null, new Date(own.at).toISOString()),
        h('p', { class: 'notice' }, this.m.t('awaiting')),
        h('div', { class: 'body preview' }, own.body),
      ),
    );
    const container = (own.parentId && this.childrenOf(own.parentId)) || this.list;
    if (!own.parentId && this.sort === 'newest') container.prepend(li);
    else container.append(li);
    this.pending.set(own.id, { own, li });
  }

  private dropOwn(id: string): void {
    const entry = this.pending.get(id);
    if (entry) {
      // Replies to an edited comment move to its published version.
      const replies = entry.li.querySelector(':scope > ol.children');
      const fresh = this.rendered.get(id);
      if (replies && fresh && fresh !== entry.li) fresh.append(replies);
      entry.li.remove();
      this.pending.delete(id);
    }
    this.own.remove(id);
  }

  /** Rejected (or gone): off the page, and its receipt proves nothing any more. */
  private dropRejected(id: string): void {
    this.dropOwn(id);
    this.receipts.remove(id);
  }

  private schedulePoll(reset = false, delay?: number): void {
    if (reset) this.pollIndex = 0;
    clearTimeout(this.pollTimer);
    if (!this.pending.size) return;
    const wait = delay ?? POLL_DELAYS_MS[Math.min(this.pollIndex++, POLL_DELAYS_MS.length - 1)];
    this.pollTimer = setTimeout(() => void this.poll(), wait);
  }

  private async poll(): Promise<void> {
    const published: string[] = [];
    for (const { own } of Array.from(this.pending.values())) {
      try {
        const view = await this.api.ownStatus(own.id, own.receipt);
        this.trust.learn(own.id, view);
        if (view.status === 'published') published.push(own.id);
        else if (view.status === 'rejected') {
          // A rejected comment's receipt proves nothing: it leaves the trust list at once.
          this.receipts.remove(own.id);
          const entry = this.pending.get(own.id);
          if (entry && view.decision) {
            // Not published: say why (the statement of reasons), then stop asking. Kept in
            // this browser (30 days), so the statement shows again after a reload.
            this.trust.showDecision(entry.li, view, own.receipt);
            this.pending.delete(own.id);
          } else this.dropRejected(own.id);
        }
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) this.dropRejected(own.id);
      }
    }
    if (published.length) {
      await this.refresh().catch(() => undefined);
      for (const id of published) {
        if (this.pending.has(id)) this.dropOwn(id);
      }
      this.say(this.status, this.m.t('published'));
    }
    this.schedulePoll();
  }

  // ---- identity (SSO) ------------------------------------------------------------------------

  /** Signs the author in with the publisher's identity token (null signs out). */
  setIdentity(token: string | null): void {
    const name = token ? identityName(token) : null;
    this.identity = token && name ? token : null;
    // Likes and reports count a signed-in reader by the token's `sub` (the server verifies it).
    this.api.identity = this.identity;
    for (const part of this.anonymousParts) part.hidden = this.identity !== null;
    this.signedIn.hidden = this.identity === null;
    this.signedIn.textContent = name ? this.m.t('signedInAs', { name }) : '';
    this.attempt = null;
  }

  private anonymous<T extends HTMLElement>(element: T): T {
    this.anonymousParts.push(element);
    return element;
  }

  // ---- replying -----------------------------------------------------------------------------

  private startReply(id: string): void {
    const li = this.rendered.get(id);
    const name = this.names.get(id);
    if (!li || name === undefined) return;
    this.replyTo = { id, name };
    this.formTitle.textContent = this.m.t('replyTo', { name });
    this.cancel.hidden = false;
    li.querySelector(':scope > .comment')!.after(this.form);
    const empty = this.identity
      ? undefined
      : (['name', 'email'] as const).find((f) => !this.inputs[f].value.trim());
    this.inputs[empty ?? 'body'].focus();
  }

  private cancelReply(restoreFocus: boolean): void {
    const id = this.replyTo?.id;
    this.replyTo = null;
    this.formTitle.textContent = this.m.t('leaveReply');
    this.cancel.hidden = true;
    this.home.append(this.form);
    if (restoreFocus && id) {
      this.rendered.get(id)?.querySelector<HTMLButtonElement>('button[data-reply]')?.focus();
    }
  }

  // ---- submitting ---------------------------------------------------------------------------

  private async submit(): Promise<void> {
    if (this.submitting) return;
    this.clearErrors();
    const identity = this.identity;
    const name = identity ? (identityName(identity) ?? '') : this.inputs.name.value.trim();
    const email = identity ? '' : this.inputs.email.value.trim();
    let website = identity ? '' : this.inputs.website.value.trim();
    if (website && !/^[a-z][a-z0-9+.-]*:/i.test(website)) website = `https://${website}`;
    const body = this.inputs.body.value.trim();
    const hp = this.honeypot.value;
    const parentId = this.replyTo?.id ?? null;

    const missing: FieldError[] = [];
    if (!identity) {
      if (!name) missing.push({ field: 'name', message: this.m.t('needName') });
      if (!email) missing.push({ field: 'email', message: this.m.t('needEmail') });
    }
    if (!body) missing.push({ field: 'body', message: this.m.t('needBody') });
    if (missing.length) return this.showErrors(missing);
    if (this.blockedUntil > Date.now())
      return this.rateLimited(Math.ceil((this.blockedUntil - Date.now()) / 1000));

    this.submitting = true;
    this.form.setAttribute('aria-busy', 'true');
    this.say(this.formStatus, this.m.t('posting'));
    try {
      const notify = this.notify.checked;
      const signature = JSON.stringify([
        name,
        email,
        website,
        body,
        hp,
        parentId,
        identity,
        notify,
      ]);
      if (!this.attempt || this.attempt.signature !== signature) {
        const altcha = await this.pow.payload();
        const json: Record<string, string | string[]> = identity
          ? { identity, body }
          : { name, email, body };
        if (website) json.website = website;
        if (notify) json.notify = 'replies';
        if (parentId) json.parentId = parentId;
        if (hp) json.hp = hp;
        if (altcha) json.altcha = altcha;
        const receipts = this.receipts.list();
        if (receipts.length) json.receipts = receipts;
        this.attempt = { key: newKey(), body: JSON.stringify(json), signature };
      }
      const result = await this.api.submit(this.attempt.body, this.attempt.key);
      this.attempt = null;
      this.pow.used();
      this.receipts.add(result.id, result.receipt);
      const own: OwnComment = {
        id: result.id,
        receipt: result.receipt,
        parentId,
        name,
        website: website || null,
        body,
        at: Date.now(),
      };
      this.own.add(own);
      this.trust.remember(result.id, result.receipt);
      this.inputs.body.value = '';
      if (this.replyTo) this.cancelReply(false);
      this.showOwn(own);
      this.say(this.formStatus, this.m.t('thanks'));
      this.schedulePoll(true);
    } catch (error) {
      this.failed(error);
    } finally {
      this.submitting = false;
      this.form.removeAttribute('aria-busy');
    }
  }

  private failed(error: unknown): void {
    const status = error instanceof ApiError ? error.status : 0;
    const problem = error instanceof ApiError ? error.problem : null;
    if (status === 0 || status >= 500) {
      // Not answered: keep the Idempotency-Key, so trying again cannot post the comment twice.
      return this.say(this.formStatus, this.m.t('sendFailed'), true);
    }
    // Answered: the next attempt is a new one, with a new key.
    this.attempt = null;
    this.pow.used();
    const type = problem?.type ?? '';
    if (status === 429) {
      const seconds = (error as ApiError).retryAfter;
      this.blockedUntil = Date.now() + (seconds ?? 30) * 1000;
      return this.rateLimited(seconds);
    }
    if (status === 400 && problem?.errors?.length)
      return this.showErrors(this.localise(problem.errors));
    if (status === 401 && type.endsWith('/invalid-identity')) {
      return this.say(this.formStatus, this.m.t('identityExpired'), true);
    }
    if (status === 413) return this.showErrors([{ field: 'body', message: this.m.t('tooLong') }]);
    if (status === 404 && type.endsWith('/parent-not-found')) {
      this.cancelReply(false);
      return this.say(this.formStatus, this.m.t('parentGone'), true);
    }
    if (status === 403 && type.endsWith('/comments-closed')) {
      // Closed while the reader was writing: the form gives way to the notice, with the reason.
      this.setClosed(true);
      return this.say(this.status, this.m.t('closedOnArticle'), true);
    }
    if (status === 422) {
      return this.say(this.formStatus, this.m.t('tooDeep'), true);
    }
    if (status === 409) return this.say(this.formStatus, this.m.t('pressAgain'), true);
    // Problem details are in English, for developers: readers of other languages get ours.
    const detail = this.m.lang === 'en' ? problem?.detail : undefined;
    this.say(this.formStatus, detail ?? this.m.t('postFailed'), true);
  }

  private rateLimited(seconds: number | null): void {
    const message =
      seconds === null ? this.m.t('tooQuickly') : this.m.t('tooQuicklyIn', { n: seconds });
    this.say(this.formStatus, message, true);
    this.submitButton.disabled = true;
    setTimeout(
      () => {
        this.submitButton.disabled = false;
        if (this.formStatus.textContent === message) {
          this.say(this.formStatus, '');
        }
      },
      Math.max(0, this.blockedUntil - Date.now()),
    );
  }

  private showErrors(errors: FieldError[]): void {
    const general: string[] = [];
    for (const { field, message } of errors) {
      const input = this.inputs[field as Field];
      if (!input) {
        general.push(message);
        continue;
      }
      const element = this.errors[field as Field];
      element.textContent = element.textContent ? `${element.textContent} ${message}` : message;
      input.setAttribute('aria-invalid', 'true');
    }
    // Focus the first invalid field in form order.
    const ordered = (['name', 'email', 'website', 'body'] as const).find(
      (f) => this.inputs[f].getAttribute('aria-invalid') === 'true',
    );
    if (ordered) this.inputs[ordered].focus();
    this.say(this.formStatus, general.length ? general.join(' ') : this.m.t('correct'), true);
  }

  /**
   * The server's validation messages are English (for developers): other languages get a
   * message of their own for each field the server named.
   */
  private localise(errors: FieldError[]): FieldError[] {
    if (this.m.lang === 'en') return errors;
    const own = {
      name: 'badName',
      email: 'badEmail',
      website: 'badWebsite',
      body: 'badBody',
    } as const;
    const seen = new Set<string>();
    return errors.flatMap(({ field }) => {
      const key = own[field as Field];
      if (seen.has(field)) return [];
      seen.add(field);
      return [{ field, message: key ? this.m.t(key) : this.m.t('correct') }];
    });
  }

  private clearError(field: Field): void {
    this.errors[field].textContent = '';
    this.inputs[field].removeAttribute('aria-invalid');
  }

  private clearErrors(): void {
    for (const field of Object.keys(this.inputs) as Field[]) this.clearError(field);
    this.say(this.formStatus, '');
  }

  private say(element: HTMLElement, text: string, bad = false): void {
    element.textContent = text;
    element.classList.toggle('bad', bad);
  }
}

/** The last public comment of a list: the author's pending ones stay after it. */
function lastPublic(container: Element): Element | null {
  const items = container.querySelectorAll(':scope > li.item:not(.pending)');
  return items.length ? items[items.length - 1] : null;
}
