import {
  ApiError,
  describeError,
  type Action,
  type Api,
  type Counts,
  type ModerationItem,
  type QueueStatus,
} from './api.js';
import { askReason } from './dialogs.js';
import { h, replaceChildren } from './dom.js';
import {
  ACTION_LABEL,
  ACTION_PAST,
  ACTIONS_FOR,
  authorName,
  renderCard,
  type ParentView,
} from './item-view.js';
import type { LiveEventName } from './live.js';

export const QUEUES: { status: QueueStatus; label: string; empty: string }[] = [
  {
    status: 'held',
    label: 'Held',
    empty: 'Nothing is waiting for a decision. New comments appear here as they arrive.',
  },
  { status: 'spam', label: 'Spam', empty: 'No comments in the spam queue.' },
  { status: 'approved', label: 'Approved', empty: 'No approved comments yet.' },
  { status: 'rejected', label: 'Rejected', empty: 'No rejected comments.' },
];

/** Work queues oldest first; decided ones most recent first. */
const ORDER: Record<QueueStatus, 'oldest' | 'newest'> = {
  held: 'oldest',
  spam: 'oldest',
  approved: 'newest',
  rejected: 'newest',
};
const TARGET: Record<Action, QueueStatus> = {
  approve: 'approved',
  reject: 'rejected',
  spam: 'spam',
};
const PAGE_SIZE = 50;
const MAX_PAGE = 200;
const BULK_MAX = 100;

interface Pending {
  key: number;
  action: Action;
  reason: string;
  entries: ModerationItem[];
  listKey: string;
  timer: number;
  toast: HTMLElement;
}

interface CardCache {
  item: ModerationItem;
  selected: boolean;
  notice: string | null;
  parent: ParentView | null;
  el: HTMLLIElement;
}

export interface QueueContext {
  api: Api;
  undoMs: number;
  announce(message: string): void;
  /** The toasts container (undo buttons). */
  toasts: HTMLElement;
  siteSeen(siteId: string): void;
  onFiltersChanged(siteId: string, articleId: string): void;
}

function compare(order: 'oldest' | 'newest') {
  return (a: ModerationItem, b: ModerationItem): number => {
    const c =
      a.createdAt < b.createdAt
        ? -1
        : a.createdAt > b.createdAt
          ? 1
          : a.id < b.id
            ? -1
            : a.id > b.id
              ? 1
              : 0;
    return order === 'oldest' ? c : -c;
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The queues: tabs with counts, filters, the list of cards, bulk actions, undo. */
export class QueueView {
  readonly root: HTMLElement;
  tab: QueueStatus = 'held';
  siteId = '';
  articleId = '';
  items: ModerationItem[] = [];
  nextCursor: string | null = null;
  activeId: string | null = null;
  readonly selected = new Set<string>();
  counts: Counts | null = null;

  private readonly notices = new Map<string, string>();
  private readonly parents = new Map<string, ParentView>();
  private readonly cards = new Map<string, CardCache>();
  private readonly pending: Pending[] = [];
  private pendingKey = 0;
  private mutations = 0;
  private loading = false;
  /** Each list request's number: an answer to a superseded request is dropped. */
  private loadSeq = 0;
  private loadError: string | null = null;
  private loaded = false;
  private countsTimer: number | undefined;

  private readonly tabButtons = new Map<QueueStatus, HTMLButtonElement>();
  private readonly list: HTMLOListElement;
  private readonly emptyEl: HTMLElement;
  private readonly moreButton: HTMLButtonElement;
  private readonly selectAll: HTMLInputElement;
  private readonly selectedCount: HTMLElement;
  private readonly bulkButtons: HTMLButtonElement[] = [];
  private readonly siteInput: HTMLInputElement;
  private readonly articleInput: HTMLInputElement;
  private readonly countsNote: HTMLElement;
  private readonly observer: IntersectionObserver | null;

  constructor(private readonly ctx: QueueContext) {
    this.siteInput = h('input', {
      attrs: {
        id: 'filter-site',
        name: 'site',
        list: 'site-options',
        autocomplete: 'off',
        spellcheck: 'false',
        placeholder: 'all sites',
      },
    });
    this.articleInput = h('input', {
      attrs: {
        id: 'filter-article',
        name: 'article',
        autocomplete: 'off',
        spellcheck: 'false',
        placeholder: 'all articles',
      },
    });
    const filters = h(
      'form',
      {
        class: 'filters',
        attrs: { role: 'search', 'aria-label': 'Filter comments' },
        on: {
          submit: (e) => {
            e.preventDefault();
            this.setFilters(this.siteInput.value.trim(), this.articleInput.value.trim());
          },
        },
      },
      h(
        'div',
        { class: 'field' },
        h('label', { attrs: { for: 'filter-site' } }, 'Site'),
        this.siteInput,
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { attrs: { for: 'filter-article' } }, 'Article'),
        this.articleInput,
      ),
      h('button', { class: 'btn', attrs: { type: 'submit' } }, 'Filter'),
      h(
        'button',
        {
          class: 'btn subtle',
          attrs: { type: 'button' },
          on: { click: () => this.setFilters('', '') },
        },
        'Clear',
      ),
    );

    const tablist = h('div', {
      class: 'tabs',
      attrs: { role: 'tablist', 'aria-label': 'Queues' },
      on: { keydown: (e) => this.onTabKey(e) },
    });
    for (const q of QUEUES) {
      const button = h(
        'button',
        {
          class: 'tab',
          attrs: {
            type: 'button',
            role: 'tab',
            id: `tab-${q.status}`,
            'aria-controls': 'queue-panel',
            'data-status': q.status,
          },
          on: { click: () => this.setTab(q.status) },
        },
        q.label,
        h('span', { class: 'count', attrs: { 'data-count': q.status } }, ''),
      );
      this.tabButtons.set(q.status, button);
      tablist.append(button);
    }
    this.countsNote = h('p', { class: 'counts-note muted' }, '');

    this.selectAll = h('input', {
      attrs: { type: 'checkbox', id: 'select-all' },
      on: { change: () => this.toggleAll(this.selectAll.checked) },
    });
    this.selectedCount = h(
      'span',
      { class: 'selected-count', attrs: { 'aria-live': 'polite' } },
      '',
    );
    const bulk = h(
      'div',
      { class: 'bulkbar', attrs: { role: 'toolbar', 'aria-label': 'Selected comments' } },
      h(
        'label',
        { class: 'select-all', attrs: { for: 'select-all' } },
        this.selectAll,
        ' Select all',
      ),
      this.selectedCount,
    );
    for (const action of ['approve', 'reject', 'spam'] as Action[]) {
      const button = h(
        'button',
        {
          class: `btn ${action}`,
          attrs: { type: 'button', 'data-bulk': action, disabled: true },
          on: { click: () => void this.actOnSelection(action) },
        },
        `${ACTION_LABEL[action]} selected`,
      );
      this.bulkButtons.push(button);
      bulk.append(button);
    }

    this.list = h('ol', { class: 'items', attrs: { 'aria-label': 'Comments' } });
    this.emptyEl = h('p', { class: 'empty' }, '');
    this.moreButton = h(
      'button',
      {
        class: 'btn more',
        attrs: { type: 'button' },
        on: { click: () => void this.loadPage(true) },
      },
      'Load more',
    );
    this.observer =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver((entries) => {
            if (entries.some((e) => e.isIntersecting) && this.nextCursor && !this.loading) {
              void this.loadPage(true);
            }
          })
        : null;
    this.observer?.observe(this.moreButton);

    this.root = h(
      'section',
      { class: 'queue', attrs: { 'aria-labelledby': 'queue-heading' } },
      h('h2', { class: 'visually-hidden', attrs: { id: 'queue-heading' } }, 'Comment queues'),
      filters,
      tablist,
      this.countsNote,
      h(
        'div',
        { attrs: { role: 'tabpanel', id: 'queue-panel', tabindex: -1 } },
        bulk,
        this.emptyEl,
        this.list,
        this.moreButton,
      ),
    );
  }

  private listKey(): string {
    return `${this.tab}|${this.siteId}|${this.articleId}`;
  }

  /** Initial state (no loading): the filters and tab the session had. */
  restore(tab: QueueStatus | undefined, siteId: string, articleId: string): void {
    if (tab) this.tab = tab;
    this.siteId = siteId;
    this.articleId = articleId;
    this.siteInput.value = siteId;
    this.articleInput.value = articleId;
  }

  setFilters(siteId: string, articleId: string): void {
    this.siteInput.value = siteId;
    this.articleInput.value = articleId;
    if (siteId === this.siteId && articleId === this.articleId) return;
    const siteChanged = siteId !== this.siteId;
    this.siteId = siteId;
    this.articleId = articleId;
    this.ctx.onFiltersChanged(siteId, articleId);
    void this.reload();
    if (siteChanged) this.scheduleCounts(0);
  }

  setTab(tab: QueueStatus, focusTab = false): void {
    if (tab !== this.tab) {
      this.tab = tab;
      void this.reload();
    }
    this.renderTabs();
    if (focusTab) this.tabButtons.get(tab)?.focus();
  }

  private onTabKey(e: KeyboardEvent): void {
    const order = QUEUES.map((q) => q.status);
    const i = order.indexOf(this.tab);
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = (i + 1) % order.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + order.length) % order.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = order.length - 1;
    if (next === null) return;
    e.preventDefault();
    this.setTab(order[next], true);
  }

  /** Empties the list and loads the first page of the current tab and filters. */
  async reload(): Promise<void> {
    this.mutations += 1;
    this.loading = false;
    this.items = [];
    this.nextCursor = null;
    this.loaded = false;
    this.selected.clear();
    this.notices.clear();
    this.activeId = null;
    this.render();
    await this.loadPage(false);
  }

  async loadPage(more: boolean): Promise<void> {
    if (more && (this.loading || !this.nextCursor)) return;
    const seq = ++this.loadSeq;
    this.loading = true;
    this.moreButton.disabled = true;
    this.moreButton.textContent = 'Loading…';
    try {
      const res = await this.ctx.api.list({
        status: this.tab,
        siteId: this.siteId,
        articleId: this.articleId,
        cursor: more ? this.nextCursor : null,
        limit: PAGE_SIZE,
        order: ORDER[this.tab],
      });
      if (seq !== this.loadSeq) return;
      const known = new Set(this.items.map((i) => i.id));
      const pendingIds = this.pendingIds();
      this.items.push(...res.items.filter((i) => !known.has(i.id) && !pendingIds.has(i.id)));
      this.nextCursor = res.nextCursor;
      this.loadError = null;
      this.loaded = true;
      if (!this.activeId && this.items.length) this.activeId = this.items[0].id;
      for (const item of res.items) this.ctx.siteSeen(item.siteId);
    } catch (error) {
      if (seq !== this.loadSeq) return;
      this.loadError = `Could not load the comments: ${describeError(error)}`;
      if (error instanceof ApiError && error.status === 403) {
        this.loadError = 'This token may not moderate that site.';
      }
      this.loaded = true;
    } finally {
      if (seq === this.loadSeq) this.loading = false;
    }
    this.render();
  }

  /** Polling: the counts and the open queue again, merged without losing the reader's place. */
  async refresh(): Promise<void> {
    void this.refreshCounts();
    if (this.loading || !this.loaded) return;
    const key = this.listKey();
    const mutations = this.mutations;
    const limit = Math.min(MAX_PAGE, Math.max(PAGE_SIZE, this.items.length));
    let res: { items: ModerationItem[]; nextCursor: string | null };
    try {
      res = await this.ctx.api.list({
        status: this.tab,
        siteId: this.siteId,
        articleId: this.articleId,
        limit,
        order: ORDER[this.tab],
      });
    } catch {
      return;
    }
    // Something changed locally meanwhile: this answer may be stale; the next tick will do.
    if (key !== this.listKey() || mutations !== this.mutations) return;
    const pendingIds = this.pendingIds();
    const known = new Set(this.items.map((i) => i.id));
    const fresh = res.items.filter((i) => !pendingIds.has(i.id));
    const added = fresh.filter((i) => !known.has(i.id));
    const tail = this.items.length > limit ? this.items.slice(limit) : [];
    const freshIds = new Set(fresh.map((i) => i.id));
    this.items = [...fresh, ...tail.filter((i) => !freshIds.has(i.id))];
    if (!tail.length) this.nextCursor = res.nextCursor;
    for (const id of [...this.selected])
      if (!this.items.some((i) => i.id === id)) this.selected.delete(id);
    this.fixActive();
    if (added.length && this.tab === 'held') {
      this.ctx.announce(`${plural(added.length, 'new held comment')}.`);
    }
    this.render();
  }

  async refreshCounts(): Promise<void> {
    try {
      const { counts } = await this.ctx.api.counts(this.siteId);
      this.counts = counts;
      this.countsNote.textContent = '';
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) this.counts = null;
    }
    this.renderTabs();
  }

  /** Counts again soon (several events in a burst make one request). */
  scheduleCounts(delay = 250): void {
    window.clearTimeout(this.countsTimer);
    this.countsTimer = window.setTimeout(() => void this.refreshCounts(), delay);
  }

  /** A live event: a comment changed somewhere. */
  onLiveEvent(name: LiveEventName, item: ModerationItem): void {
    this.scheduleCounts();
    this.ctx.siteSeen(item.siteId);
    if (this.pendingIds().has(item.id)) return;
    const index = this.items.findIndex((i) => i.id === item.id);
    const matches =
      item.status === this.tab &&
      (!this.siteId || item.siteId === this.siteId) &&
      (!this.articleId || item.articleId === this.articleId);
    this.mutations += 1;
    if (index >= 0) {
      if (matches) {
        this.items[index] = { ...this.items[index], ...item };
      } else {
        this.items.splice(index, 1);
        this.selected.delete(item.id);
        this.fixActive(index);
      }
      this.render();
      return;
    }
    if (!matches || !this.loaded) return;
    const cmp = compare(ORDER[this.tab]);
    const at = this.items.findIndex((i) => cmp(item, i) < 0);
    if (at === -1) {
      // Past the loaded pages: it arrives with "Load more".
      if (this.nextCursor) return;
      this.items.push(item);
    } else {
      this.items.splice(at, 0, item);
    }
    if (!this.activeId) this.activeId = item.id;
    if (name === 'comment.held') this.ctx.announce(`New comment held, from ${authorName(item)}.`);
    this.render();
  }

  // ---- Decisions -------------------------------------------------------------------------

  private pendingIds(): Set<string> {
    return new Set(this.pending.flatMap((p) => p.entries.map((i) => i.id)));
  }

  /** Keyboard / button on one comment. */
  async actOn(id: string, action: Action): Promise<void> {
    const item = this.items.find((i) => i.id === id);
    if (!item) return;
    if (!ACTIONS_FOR[item.status].includes(action)) {
      this.ctx.announce(`Not possible: a ${item.status} comment cannot be ${ACTION_PAST[action]}.`);
      return;
    }
    let reason = '';
    if (action === 'reject') {
      const answer = await askReason(`Reject the comment by ${authorName(item)}`, 'Reject');
      if (answer === null) return;
      reason = answer;
    }
    this.decide([item], action, reason);
  }

  async actOnSelection(action: Action): Promise<void> {
    const chosen = this.items.filter((i) => this.selected.has(i.id));
    const legal = chosen.filter((i) => ACTIONS_FOR[i.status].includes(action));
    if (!legal.length) {
      this.ctx.announce(
        chosen.length
          ? `None of the selected comments can be ${ACTION_PAST[action]}.`
          : 'Nothing is selected.',
      );
      return;
    }
    let reason = '';
    if (action === 'reject') {
      const answer = await askReason(`Reject ${plural(legal.length, 'comment')}`, 'Reject');
      if (answer === null) return;
      reason = answer;
    }
    for (let i = 0; i < legal.length; i += BULK_MAX)
      this.decide(legal.slice(i, i + BULK_MAX), action, reason);
  }

  /**
   * Optimistic: the comments leave the list at once and the decision waits `undoMs` before it is
   * sent, so Undo simply forgets it: nothing was published, no event went out.
   */
  private decide(entries: ModerationItem[], action: Action, reason: string): void {
    const focusInList =
      this.root.contains(document.activeElement) || document.activeElement === document.body;
    const ids = new Set(entries.map((i) => i.id));
    const firstIndex = this.items.findIndex((i) => ids.has(i.id));
    this.items = this.items.filter((i) => !ids.has(i.id));
    for (const id of ids) {
      this.selected.delete(id);
      this.notices.delete(id);
    }
    if (this.activeId && ids.has(this.activeId)) this.activeId = null;
    this.fixActive(firstIndex);
    this.mutations += 1;
    this.shiftCounts(entries, action, 1);

    const key = ++this.pendingKey;
    const what =
      entries.length === 1
        ? `The comment by ${authorName(entries[0])} will be ${ACTION_PAST[action]}.`
        : `${plural(entries.length, 'comment')} will be ${ACTION_PAST[action]}.`;
    const undoButton = h('button', { class: 'btn undo', attrs: { type: 'button' } }, 'Undo');
    const bar = h('span', { class: 'countdown', attrs: { 'aria-hidden': 'true' } });
    bar.style.animationDuration = `${this.ctx.undoMs}ms`;
    const toast = h(
      'div',
      { class: 'toast', attrs: { 'data-pending': key } },
      h('span', {}, what),
      undoButton,
      bar,
    );
    const pending: Pending = {
      key,
      action,
      reason,
      entries,
      listKey: this.listKey(),
      toast,
      timer: window.setTimeout(() => void this.commit(pending), this.ctx.undoMs),
    };
    undoButton.addEventListener('click', () => this.undo(pending));
    this.pending.push(pending);
    this.ctx.toasts.append(toast);
    this.ctx.announce(
      `${what} Undo is possible for ${Math.round(this.ctx.undoMs / 1000)} seconds.`,
    );
    this.render();
    if (focusInList) this.focusActive();
  }

  undoLast(): void {
    const last = this.pending[this.pending.length - 1];
    if (last) this.undo(last);
    else
      this.ctx.announce(
        'Nothing to undo: decisions already sent can be changed from their new queue.',
      );
  }

  private undo(p: Pending): void {
    const i = this.pending.indexOf(p);
    if (i === -1) return;
    this.pending.splice(i, 1);
    window.clearTimeout(p.timer);
    p.toast.remove();
    this.shiftCounts(p.entries, p.action, -1);
    this.mutations += 1;
    if (p.listKey === this.listKey()) {
      for (const item of p.entries) this.insertSorted(item);
      this.activeId = p.entries[0].id;
    }
    this.ctx.announce(
      p.entries.length === 1
        ? `Undone: the comment by ${authorName(p.entries[0])} is back.`
        : `Undone: ${plural(p.entries.length, 'comment')} back.`,
    );
    this.render();
    this.focusActive();
  }

  /** Sends every pending decision now (page closing, signing out). */
  flush(keepalive: boolean): void {
    for (const p of [...this.pending]) {
      window.clearTimeout(p.timer);
      void this.commit(p, keepalive);
    }
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  private async commit(p: Pending, keepalive = false): Promise<void> {
    const i = this.pending.indexOf(p);
    if (i === -1) return;
    this.pending.splice(i, 1);
    p.toast.remove();
    const api = this.ctx.api;
    const reason = p.reason || undefined;
    const failed: { item: ModerationItem; notice: string }[] = [];
    let done = 0;
    try {
      if (p.entries.length === 1) {
        await api.decide(p.entries[0].id, p.action, reason, keepalive);
        done = 1;
      } else {
        const { results } = await api.decideMany(
          p.entries.map((e) => e.id),
          p.action,
          reason,
          keepalive,
        );
        const byId = new Map(results.map((r) => [r.id.toLowerCase(), r]));
        for (const item of p.entries) {
          const r = byId.get(item.id.toLowerCase());
          if (r && 'status' in r) done += 1;
          else failed.push({ item, notice: r ? r.error : 'No answer for this comment.' });
        }
      }
    } catch (error) {
      const notice =
        error instanceof ApiError && error.status === 409
          ? ''
          : `Not ${ACTION_PAST[p.action]}: ${describeError(error)}`;
      for (const item of p.entries) failed.push({ item, notice });
    }
    if (keepalive) return;
    this.mutations += 1;
    // Show the comment as it really is now, with what happened.
    const real = await Promise.all(
      failed.map(async (f) => {
        try {
          return await api.item(f.item.id);
        } catch {
          return null;
        }
      }),
    );
    failed.forEach((f, n) => {
      const now = real[n];
      const notice = now
        ? `Could not ${ACTION_LABEL[p.action].toLowerCase()} it: this comment is now ${now.status}${now.status !== f.item.status ? ' (someone else decided first)' : ''}.${f.notice && !now ? ` ${f.notice}` : ''}`
        : f.notice || 'Could not reach the server.';
      this.putBack(now ?? f.item, notice, p.listKey);
    });
    const parts: string[] = [];
    if (done) parts.push(`${plural(done, 'comment')} ${ACTION_PAST[p.action]}.`);
    if (failed.length)
      parts.push(
        `${plural(failed.length, 'comment')} could not be ${ACTION_PAST[p.action]}; see the notice on each.`,
      );
    this.ctx.announce(parts.join(' '));
    this.render();
    this.scheduleCounts(0);
  }

  private putBack(item: ModerationItem, notice: string, listKey: string): void {
    if (listKey !== this.listKey()) {
      this.ctx.announce(notice);
      return;
    }
    this.items = this.items.filter((i) => i.id !== item.id);
    this.insertSorted(item);
    this.notices.set(item.id, notice);
    this.activeId ??= item.id;
  }

  private insertSorted(item: ModerationItem): void {
    const cmp = compare(ORDER[this.tab]);
    const at = this.items.findIndex((i) => cmp(item, i) < 0);
    if (at === -1) this.items.push(item);
    else this.items.splice(at, 0, item);
  }

  private shiftCounts(items: ModerationItem[], action: Action, sign: 1 | -1): void {
    if (!this.counts) return;
    const to = TARGET[action];
    for (const item of items) {
      const from = item.status;
      if (from === 'held' || from === 'spam' || from === 'approved' || from === 'rejected') {
        this.counts[from] = Math.max(0, this.counts[from] - sign);
      }
      this.counts[to] = Math.max(0, this.counts[to] + sign);
    }
    this.renderTabs();
  }

  // ---- Keyboard --------------------------------------------------------------------------

  move(delta: 1 | -1): void {
    if (!this.items.length) return;
    const i = this.items.findIndex((x) => x.id === this.activeId);
    const next = i === -1 ? 0 : Math.max(0, Math.min(this.items.length - 1, i + delta));
    this.activeId = this.items[next].id;
    this.renderActive();
    this.focusActive();
    if (delta === 1 && next >= this.items.length - 3 && this.nextCursor) void this.loadPage(true);
  }

  /** Features the active comment, or unfeatures it if it is featured (approved ones only). */
  featureActive(): void {
    const item = this.items.find((i) => i.id === this.activeId);
    if (item && item.status === 'approved') void this.feature(item.id, item.featured !== true);
  }

  async feature(id: string, on: boolean): Promise<void> {
    const item = this.items.find((i) => i.id === id);
    try {
      const updated = await this.ctx.api.feature(id, on);
      const index = this.items.findIndex((i) => i.id === id);
      if (index !== -1) this.items[index] = { ...this.items[index], ...updated };
      this.render();
      const name = item ? authorName(item) : 'the author';
      this.ctx.announce(
        updated.featured
          ? `Featured the comment by ${name}.`
          : `The comment by ${name} is no longer featured.`,
      );
    } catch (error) {
      this.ctx.announce(
        error instanceof ApiError && error.status === 409
          ? 'Only approved comments can be featured.'
          : 'The comment could not be featured. Please try again.',
      );
    }
  }

  actOnActive(action: Action): void {
    if (this.activeId) void this.actOn(this.activeId, action);
  }

  toggleActiveSelection(): void {
    if (!this.activeId) return;
    this.setSelected(this.activeId, !this.selected.has(this.activeId));
    this.render();
  }

  focusActive(): void {
    const card = this.activeId ? this.cards.get(this.activeId) : undefined;
    const article = card?.el.querySelector<HTMLElement>('article');
    if (article) {
      article.focus();
      article.scrollIntoView({ block: 'nearest' });
    } else {
      document.getElementById('queue-panel')?.focus();
    }
  }

  private fixActive(preferIndex = 0): void {
    if (this.activeId && this.items.some((i) => i.id === this.activeId)) return;
    if (!this.items.length) {
      this.activeId = null;
      return;
    }
    this.activeId = this.items[Math.max(0, Math.min(this.items.length - 1, preferIndex))].id;
  }

  private setSelected(id: string, selected: boolean): void {
    if (selected) this.selected.add(id);
    else this.selected.delete(id);
  }

  private toggleAll(on: boolean): void {
    this.selected.clear();
    if (on) for (const item of this.items) this.selected.add(item.id);
    this.render();
  }

  // ---- Rendering -------------------------------------------------------------------------

  private renderTabs(): void {
    for (const q of QUEUES) {
      const button = this.tabButtons.get(q.status);
      if (!button) continue;
      const current = q.status === this.tab;
      button.setAttribute('aria-selected', String(current));
      button.tabIndex = current ? 0 : -1;
      const n = this.counts ? this.counts[q.status] : null;
      const count = button.querySelector('.count');
      if (count) count.textContent = n === null ? '' : String(n);
      button.setAttribute('aria-label', n === null ? q.label : `${q.label}, ${n}`);
    }
    const panel = document.getElementById('queue-panel');
    panel?.setAttribute('aria-labelledby', `tab-${this.tab}`);
    this.countsNote.textContent = this.articleId
      ? 'Counts are for the whole site, not only the article.'
      : '';
    const held = this.counts?.held;
    document.title = held ? `(${held}) Moderation` : 'Moderation';
  }

  private parentFor(item: ModerationItem): ParentView | null {
    if (!item.parentId) return null;
    const known = this.parents.get(item.parentId);
    if (known) return known;
    const view: ParentView = { state: 'loading' };
    const parentId = item.parentId;
    this.parents.set(parentId, view);
    this.ctx.api.item(parentId).then(
      (parent) => {
        this.parents.set(parentId, { state: 'ready', item: parent });
        this.render();
      },
      () => {
        this.parents.set(parentId, { state: 'unavailable' });
        this.render();
      },
    );
    return view;
  }

  private cardFor(item: ModerationItem): HTMLLIElement {
    const selected = this.selected.has(item.id);
    const notice = this.notices.get(item.id) ?? null;
    const parent = this.parentFor(item);
    const cached = this.cards.get(item.id);
    if (
      cached &&
      cached.item === item &&
      cached.selected === selected &&
      cached.notice === notice &&
      cached.parent === parent
    ) {
      return cached.el;
    }
    const el = renderCard(
      item,
      { selected, notice, parent },
      {
        act: (id, action) => void this.actOn(id, action),
        select: (id, on) => {
          this.setSelected(id, on);
          this.render();
        },
        activate: (id) => {
          if (this.activeId !== id) {
            this.activeId = id;
            this.renderActive();
          }
        },
        filterArticle: (siteId, articleId) => this.setFilters(siteId, articleId),
        feature: (id, on) => void this.feature(id, on),
      },
    );
    if (cached) {
      const hadFocus = cached.el.contains(document.activeElement);
      const focusedAction = (document.activeElement as HTMLElement | null)?.dataset?.action;
      const focusedFeature = document.activeElement?.hasAttribute('data-feature') === true;
      cached.el.replaceWith(el);
      if (hadFocus) {
        const target =
          (focusedAction && el.querySelector<HTMLElement>(`[data-action="${focusedAction}"]`)) ||
          (focusedFeature && el.querySelector<HTMLElement>('[data-feature]')) ||
          el.querySelector<HTMLElement>('article');
        target?.focus();
      }
    }
    this.cards.set(item.id, { item, selected, notice, parent, el });
    return el;
  }

  private renderActive(): void {
    for (const [id, card] of this.cards) {
      const article = card.el.querySelector('article');
      const on = id === this.activeId;
      card.el.classList.toggle('active', on);
      if (on) article?.setAttribute('aria-current', 'true');
      else article?.removeAttribute('aria-current');
    }
  }

  render(): void {
    this.renderTabs();
    const ids = new Set(this.items.map((i) => i.id));
    for (const [id, card] of this.cards) {
      if (!ids.has(id)) {
        card.el.remove();
        this.cards.delete(id);
      }
    }
    let previous: Element | null = null;
    for (const item of this.items) {
      const el = this.cardFor(item);
      const expected: Element | null = previous
        ? previous.nextElementSibling
        : this.list.firstElementChild;
      if (expected !== el) this.list.insertBefore(el, expected);
      previous = el;
    }
    this.renderActive();

    const q = QUEUES.find((x) => x.status === this.tab);
    const empty = this.loaded && !this.items.length;
    this.emptyEl.hidden = !(empty || this.loadError || !this.loaded);
    replaceChildren(
      this.emptyEl,
      this.loadError ??
        (!this.loaded
          ? 'Loading…'
          : empty
            ? this.articleId || this.siteId
              ? 'No comments match the filters in this queue.'
              : (q?.empty ?? '')
            : ''),
    );
    this.emptyEl.classList.toggle('error', Boolean(this.loadError));
    this.moreButton.hidden = !this.nextCursor;
    this.moreButton.disabled = this.loading;
    this.moreButton.textContent = this.loading ? 'Loading…' : 'Load more';

    const n = [...this.selected].filter((id) => ids.has(id)).length;
    this.selectedCount.textContent = n ? `${n} selected` : '';
    this.selectAll.checked = n > 0 && n === this.items.length;
    this.selectAll.indeterminate = n > 0 && n < this.items.length;
    this.selectAll.disabled = !this.items.length;
    for (const b of this.bulkButtons) b.disabled = n === 0;
  }
}
