import { Api, ApiError, describeError, type QueueStatus } from './api.js';
import { dialogOpen, showHelp } from './dialogs.js';
import { h, replaceChildren } from './dom.js';
import { Live, type LiveMode } from './live.js';
import { QUEUES, QueueView } from './queue.js';
import { ImportView } from './imports.js';
import { SettingsView } from './settings.js';
import { TrustView } from './trust.js';

/** sessionStorage only: gone when the tab closes, never in a URL or a cookie. */
const TOKEN_KEY = 'comments-console.token';
const FILTERS_KEY = 'comments-console.filters';

export interface ConsoleConfig {
  pollMs: number;
  undoMs: number;
}

type Role = 'admin' | 'moderator';

export class ConsoleApp {
  private api: Api | null = null;
  private role: Role = 'moderator';
  private queue: QueueView | null = null;
  private settings: SettingsView | null = null;
  /** Trust and safety: reported comments, appeals, history, bans, articles, transparency. */
  private trust: TrustView | null = null;
  private imports: ImportView | null = null;
  private live: Live | null = null;
  private statusEl: HTMLElement | null = null;
  private statusTimer: number | undefined;
  private readonly knownSites = new Set<string>();
  private siteOptions: HTMLDataListElement | null = null;
  private liveEl: HTMLElement | null = null;
  private view: 'queue' | 'settings' | 'trust' | 'imports' = 'queue';
  private readonly onKey = (e: KeyboardEvent) => this.keydown(e);
  private readonly onHash = () => this.route();
  private readonly onPageHide = () => this.queue?.flush(true);

  constructor(
    private readonly root: HTMLElement,
    private readonly config: ConsoleConfig,
  ) {}

  start(): void {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) void this.signIn(token, true);
    else this.showSignIn();
  }

  // ---- Signing in and out ----------------------------------------------------------------

  private showSignIn(message = ''): void {
    document.title = 'Sign in · Moderation';
    const input = h('input', {
      attrs: {
        id: 'token',
        name: 'token',
        type: 'password',
        autocomplete: 'off',
        spellcheck: 'false',
        required: true,
        'aria-describedby': 'token-hint token-error',
      },
    });
    const error = h(
      'p',
      { class: 'field-error', attrs: { id: 'token-error', role: 'alert' } },
      message,
    );
    const button = h('button', { class: 'btn primary', attrs: { type: 'submit' } }, 'Sign in');
    const form = h(
      'form',
      {
        class: 'signin-form',
        attrs: { 'aria-labelledby': 'signin-title' },
        on: {
          submit: (e) => {
            e.preventDefault();
            const value = input.value.trim();
            if (!value) {
              error.textContent = 'Enter a moderator or admin token.';
              input.focus();
              return;
            }
            button.disabled = true;
            error.textContent = '';
            void this.signIn(value, false).then((ok) => {
              if (!ok) {
                button.disabled = false;
                input.select();
              }
            });
          },
        },
      },
      h('h1', { attrs: { id: 'signin-title' } }, 'Moderation'),
      h('p', {}, 'Sign in with a moderator or admin token.'),
      h('label', { attrs: { for: 'token' } }, 'Token'),
      input,
      h(
        'p',
        { class: 'hint', attrs: { id: 'token-hint' } },
        'Kept in this browser tab only, until you sign out or close it.',
      ),
      error,
      button,
    );
    replaceChildren(this.root, h('main', { class: 'signin', attrs: { id: 'main' } }, form));
    input.focus();
    this.signInError = (text: string) => {
      error.textContent = text;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    };
  }

  private signInError: (text: string) => void = () => undefined;

  /** Checks the token against the API; on success shows the console. */
  private async signIn(token: string, restoring: boolean): Promise<boolean> {
    const api = new Api(token);
    try {
      await api.counts('');
    } catch (error) {
      if (restoring) sessionStorage.removeItem(TOKEN_KEY);
      const text =
        error instanceof ApiError && error.status === 401
          ? 'This token was not accepted. Check it and try again.'
          : error instanceof ApiError && error.status === 403
            ? 'This token cannot moderate: it needs the moderator or admin role.'
            : `Could not sign in: ${describeError(error)}`;
      if (restoring) this.showSignIn(text);
      else this.signInError(text);
      return false;
    }
    let role: Role = 'moderator';
    let siteIds: string[] = [];
    try {
      siteIds = (await api.sites()).items.map((s) => s.id);
      role = 'admin';
    } catch {
      role = 'moderator';
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    api.onUnauthorized = () => this.signOut('Your token is no longer accepted. Sign in again.');
    this.api = api;
    this.role = role;
    for (const id of siteIds) this.knownSites.add(id);
    this.showConsole();
    return true;
  }

  private signOut(message = ''): void {
    this.queue?.flush(true);
    this.live?.stop();
    this.live = null;
    this.queue = null;
    this.settings = null;
    this.trust = null;
    this.imports?.close();
    this.imports = null;
    this.api = null;
    sessionStorage.removeItem(TOKEN_KEY);
    document.removeEventListener('keydown', this.onKey);
    window.removeEventListener('hashchange', this.onHash);
    window.removeEventListener('pagehide', this.onPageHide);
    this.showSignIn(message);
  }

  // ---- The console -----------------------------------------------------------------------

  private showConsole(): void {
    const api = this.api;
    if (!api) return;
    this.statusEl = h('div', {
      class: 'status-line',
      attrs: { role: 'status', 'aria-live': 'polite' },
    });
    const toasts = h('div', {
      class: 'toasts',
      attrs: { role: 'region', 'aria-label': 'Decisions waiting to be sent' },
    });
    this.siteOptions = h('datalist', { attrs: { id: 'site-options' } });
    this.renderSiteOptions();
    this.liveEl = h('span', { class: 'live-status' }, '');

    const queue = new QueueView({
      api,
      undoMs: this.config.undoMs,
      announce: (m) => this.announce(m),
      toasts,
      siteSeen: (id) => {
        if (!this.knownSites.has(id)) {
          this.knownSites.add(id);
          this.renderSiteOptions();
        }
      },
      onFiltersChanged: (siteId, articleId) => {
        sessionStorage.setItem(FILTERS_KEY, JSON.stringify({ siteId, articleId }));
        this.live?.start(siteId);
      },
    });
    this.queue = queue;
    if (this.role === 'admin') this.settings = new SettingsView(api, (m) => this.announce(m));
    this.trust = new TrustView({
      api,
      role: this.role,
      announce: (m) => this.announce(m),
      siteId: () => this.queue?.siteId ?? '',
    });
    if (this.role === 'admin') this.imports = new ImportView(api, (m) => this.announce(m));

    const nav = h('nav', { class: 'sections', attrs: { 'aria-label': 'Sections' } });
    nav.append(h('a', { attrs: { href: '#held', 'data-view': 'queue' } }, 'Queues'));
    nav.append(h('a', { attrs: { href: '#trust', 'data-view': 'trust' } }, 'Trust and safety'));
    if (this.settings)
      nav.append(
        h('a', { attrs: { href: '#settings', 'data-view': 'settings' } }, 'Site settings'),
      );
    if (this.imports)
      nav.append(h('a', { attrs: { href: '#imports', 'data-view': 'imports' } }, 'Import'));

    const header = h(
      'header',
      { class: 'topbar' },
      h('h1', { class: 'brand' }, 'Moderation'),
      nav,
      h(
        'div',
        { class: 'session' },
        this.liveEl,
        h('span', { class: 'role badge' }, this.role),
        h(
          'button',
          {
            class: 'btn subtle',
            attrs: { type: 'button', 'aria-keyshortcuts': '?' },
            on: { click: () => showHelp(Math.round(this.config.undoMs / 1000)) },
          },
          'Shortcuts',
        ),
        h(
          'button',
          { class: 'btn subtle', attrs: { type: 'button' }, on: { click: () => this.signOut() } },
          'Sign out',
        ),
      ),
    );
    const main = h('main', { attrs: { id: 'main', tabindex: -1 } });
    replaceChildren(
      this.root,
      h(
        'a',
        {
          class: 'skip',
          attrs: { href: '#main' },
          on: {
            click: (e) => {
              e.preventDefault();
              main.focus();
            },
          },
        },
        'Skip to content',
      ),
      header,
      main,
      toasts,
      this.statusEl,
      this.siteOptions,
    );

    const saved = readFilters();
    const hash = location.hash.replace(/^#/, '');
    queue.restore(QUEUES.find((q) => q.status === hash)?.status, saved.siteId, saved.articleId);
    void queue.reload();

    this.live = new Live(api, this.config.pollMs, {
      onEvent: (name, item) => this.queue?.onLiveEvent(name, item),
      onPoll: () => void this.queue?.refresh(),
      onReconnect: () => void this.queue?.refresh(),
      onMode: (mode) => {
        this.showLiveMode(mode);
        // Counts may have moved while connecting; the list catches up on reconnections.
        if (mode === 'live') this.queue?.scheduleCounts(0);
      },
    });
    this.showLiveMode('connecting');
    this.live.start(queue.siteId);

    document.addEventListener('keydown', this.onKey);
    window.addEventListener('hashchange', this.onHash);
    window.addEventListener('pagehide', this.onPageHide);
    this.route(true);
    void queue.refreshCounts();
  }

  private showLiveMode(mode: LiveMode): void {
    if (!this.liveEl) return;
    const seconds = Math.round(this.config.pollMs / 100) / 10;
    this.liveEl.textContent =
      mode === 'live'
        ? '● Live'
        : mode === 'polling'
          ? `Refreshing every ${seconds} s`
          : 'Connecting…';
    this.liveEl.dataset.mode = mode;
  }

  private renderSiteOptions(): void {
    if (!this.siteOptions) return;
    replaceChildren(
      this.siteOptions,
      ...[...this.knownSites].sort().map((id) => h('option', { attrs: { value: id } })),
    );
  }

  private route(initial = false): void {
    const main = document.getElementById('main');
    const queue = this.queue;
    if (!main || !queue) return;
    const hash = location.hash.replace(/^#/, '');
    const wantSettings = hash === 'settings' && this.settings;
    const tab = QUEUES.find((q) => q.status === hash)?.status;
    if ((hash === 'trust' || hash.startsWith('trust/')) && this.trust) {
      const commentId = hash.slice('trust/'.length);
      if (this.view !== 'trust' || initial) {
        this.view = 'trust';
        replaceChildren(main, this.trust.root);
        void this.trust.open();
        if (!commentId) this.trust.focusHeading();
      }
      // `#trust/<comment id>` (a card's History link): that comment's history, focused.
      if (commentId) void this.trust.showHistory(decodeURIComponent(commentId), true);
    } else if (hash === 'imports' && this.imports) {
      if (this.view !== 'imports' || initial) {
        this.view = 'imports';
        replaceChildren(main, this.imports.root);
        void this.imports.open(queue.siteId);
        this.imports.focusHeading();
      }
    } else if (wantSettings && this.settings) {
      if (this.view !== 'settings' || initial) {
        this.view = 'settings';
        replaceChildren(main, this.settings.root);
        void this.settings.open(queue.siteId);
        this.settings.focusHeading();
      }
    } else {
      const switching = this.view !== 'queue' || initial;
      this.view = 'queue';
      if (switching) replaceChildren(main, queue.root);
      if (tab) queue.setTab(tab);
      else if (switching) {
        queue.setTab(queue.tab);
        history.replaceState(null, '', `#${queue.tab}`);
      }
      if (switching && !initial) document.getElementById(`tab-${queue.tab}`)?.focus();
    }
    for (const link of document.querySelectorAll<HTMLAnchorElement>('nav.sections a')) {
      if (link.dataset.view === this.view) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  /** Says something to screen readers and shows it in the status line for a while. */
  announce(message: string): void {
    const el = this.statusEl;
    if (!el) return;
    window.clearTimeout(this.statusTimer);
    el.textContent = '';
    // A fresh text node each time, so the same message twice is announced twice.
    window.setTimeout(() => {
      el.textContent = message;
    }, 30);
    this.statusTimer = window.setTimeout(() => {
      el.textContent = '';
    }, 8000);
  }

  private keydown(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (dialogOpen()) return;
    const target = e.target as HTMLElement | null;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      if (!(target instanceof HTMLInputElement && target.type === 'checkbox')) return;
    }
    if (e.key === '?') {
      e.preventDefault();
      showHelp(Math.round(this.config.undoMs / 1000));
      return;
    }
    const queue = this.queue;
    if (this.view !== 'queue' || !queue) return;
    const handlers: Record<string, () => void> = {
      j: () => queue.move(1),
      k: () => queue.move(-1),
      a: () => queue.actOnActive('approve'),
      r: () => queue.actOnActive('reject'),
      s: () => queue.actOnActive('spam'),
      x: () => queue.toggleActiveSelection(),
      f: () => queue.featureActive(),
      u: () => queue.undoLast(),
    };
    const handler = handlers[e.key];
    if (!handler) return;
    e.preventDefault();
    handler();
  }
}

function readFilters(): { siteId: string; articleId: string } {
  try {
    const raw = JSON.parse(sessionStorage.getItem(FILTERS_KEY) ?? '{}') as Record<string, unknown>;
    return {
      siteId: typeof raw.siteId === 'string' ? raw.siteId : '',
      articleId: typeof raw.articleId === 'string' ? raw.articleId : '',
    };
  } catch {
    return { siteId: '', articleId: '' };
  }
}

export type { QueueStatus };
