import type { Action, ModerationItem, Status } from './api.js';
import { h, httpUrl } from './dom.js';
import { sanitizedFragment } from './sanitize.js';

/** Legal moves (docs/api.md): which actions each status allows. */
export const ACTIONS_FOR: Record<Status, Action[]> = {
  pending: [],
  held: ['approve', 'reject', 'spam'],
  spam: ['approve', 'reject'],
  approved: ['reject', 'spam'],
  rejected: ['approve'],
  deleted: [],
};

export const ACTION_LABEL: Record<Action, string> = {
  approve: 'Approve',
  reject: 'Reject',
  spam: 'Spam',
};
export const ACTION_KEY: Record<Action, string> = { approve: 'a', reject: 'r', spam: 's' };
export const ACTION_PAST: Record<Action, string> = {
  approve: 'approved',
  reject: 'rejected',
  spam: 'marked as spam',
};

export function authorName(item: ModerationItem): string {
  return item.author?.name ?? '(deleted)';
}

export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 30) return `${days} d ago`;
  return new Date(iso).toLocaleDateString();
}

function historyText(item: ModerationItem): string {
  const history = item.authorHistory;
  if (!history) return item.authorHistory === null ? 'Unknown (no email on file)' : '—';
  if (history.total <= 1) return 'First comment on this site';
  const parts = [`${history.total} comments on this site`, `${history.approved} approved`];
  if (history.rejected) parts.push(`${history.rejected} rejected`);
  if (history.spam) parts.push(`${history.spam} spam`);
  return parts.join(', ');
}

export interface ParentView {
  state: 'loading' | 'ready' | 'unavailable';
  item?: ModerationItem;
}

export interface CardHandlers {
  act(id: string, action: Action): void;
  select(id: string, selected: boolean): void;
  activate(id: string): void;
  filterArticle(siteId: string, articleId: string): void;
  feature(id: string, on: boolean): void;
}

/** One comment as a card: everything a moderator needs to decide, and the buttons to do it. */
export function renderCard(
  item: ModerationItem,
  options: { selected: boolean; notice: string | null; parent: ParentView | null },
  handlers: CardHandlers,
): HTMLLIElement {
  const headingId = `item-${item.id}-author`;
  const name = authorName(item);
  const website = httpUrl(item.author?.website);
  const checkbox = h('input', {
    attrs: {
      type: 'checkbox',
      class: 'select-box',
      'aria-label': `Select the comment by ${name}`,
      checked: options.selected,
    },
    on: { change: (e) => handlers.select(item.id, (e.target as HTMLInputElement).checked) },
  });

  const meta = h('dl', { class: 'meta' });
  const row = (label: string, ...value: (Node | string)[]) =>
    meta.append(h('div', {}, h('dt', {}, label), h('dd', {}, ...value)));
  row('Email', item.email ? h('span', { class: 'email' }, item.email) : '—');
  if (item.author?.website) {
    row(
      'Website',
      website
        ? h(
            'a',
            {
              attrs: { href: website, rel: 'nofollow ugc noopener noreferrer', target: '_blank' },
            },
            website,
          )
        : h(
            'span',
            { class: 'unsafe-url' },
            `${item.author.website} (not a web address; not linked)`,
          ),
    );
  }
  row(
    'Article',
    h('span', { class: 'article' }, `${item.siteId} / ${item.articleId}`),
    ' ',
    h(
      'button',
      {
        class: 'btn-link',
        attrs: { type: 'button', 'aria-label': `Show only article ${item.articleId}` },
        on: { click: () => handlers.filterArticle(item.siteId, item.articleId) },
      },
      'only this article',
    ),
  );
  row('Author history', historyText(item));
  // Trust and safety: readers' reports, and the comment's full history (with Delete).
  if (item.flags && item.flags.count > 0) {
    const byReason = Object.entries(item.flags.reasons)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ');
    row('Reports', `${item.flags.count} (${byReason})`);
  }
  if (item.spamScore !== null && item.spamScore !== undefined) {
    const score = Math.max(0, Math.min(1, item.spamScore));
    row(
      'Spam score',
      h('meter', {
        attrs: {
          min: 0,
          max: 1,
          low: 0.5,
          high: 0.9,
          optimum: 0,
          value: score,
          'aria-hidden': 'true',
        },
      }),
      ` ${score.toFixed(2)}`,
    );
  }

  const reasons = item.reasons.length
    ? h(
        'div',
        { class: 'reasons' },
        h('h4', {}, 'Why it is here'),
        h(
          'ul',
          {},
          ...item.reasons.map((r) =>
            h('li', {}, r.message, ' ', h('code', { class: 'reason-code' }, r.code)),
          ),
        ),
      )
    : null;

  let parentBlock: HTMLElement | null = null;
  if (item.parentId && options.parent) {
    const p = options.parent;
    if (p.state === 'ready' && p.item) {
      parentBlock = h(
        'figure',
        { class: 'parent' },
        h('figcaption', {}, `In reply to ${authorName(p.item)} (${p.item.status})`),
        h('blockquote', { class: 'body parent-body' }, sanitizedFragment(p.item.bodyHtml)),
      );
    } else {
      parentBlock = h(
        'p',
        { class: 'parent muted' },
        p.state === 'loading'
          ? 'In reply to… (loading)'
          : 'In reply to a comment that is not available.',
      );
    }
  }

  const actions = h('div', { class: 'actions', attrs: { role: 'group', 'aria-label': 'Decide' } });
  for (const action of ACTIONS_FOR[item.status]) {
    actions.append(
      h(
        'button',
        {
          class: `btn ${action}`,
          attrs: {
            type: 'button',
            'data-action': action,
            'aria-keyshortcuts': ACTION_KEY[action],
            'aria-label': `${ACTION_LABEL[action]} the comment by ${name}`,
          },
          on: { click: () => handlers.act(item.id, action) },
        },
        ACTION_LABEL[action],
        ' ',
        h('kbd', { attrs: { 'aria-hidden': 'true' } }, ACTION_KEY[action]),
      ),
    );
  }

  if (item.status === 'approved') {
    const featured = item.featured === true;
    actions.append(
      h(
        'button',
        {
          class: 'btn feature',
          attrs: {
            type: 'button',
            'data-feature': '',
            'aria-pressed': String(featured),
            'aria-keyshortcuts': 'f',
            'aria-label': `Feature the comment by ${name}`,
          },
          on: { click: () => handlers.feature(item.id, !featured) },
        },
        featured ? 'Featured' : 'Feature',
        ' ',
        h('kbd', { attrs: { 'aria-hidden': 'true' } }, 'f'),
      ),
    );
  }

  const article = h(
    'article',
    {
      class: 'card',
      attrs: { tabindex: -1, 'aria-labelledby': headingId, 'data-id': item.id },
      on: {
        focusin: () => handlers.activate(item.id),
        click: () => handlers.activate(item.id),
      },
    },
    h(
      'header',
      { class: 'card-head' },
      h('label', { class: 'select' }, checkbox),
      h('h3', { class: 'author', attrs: { id: headingId } }, name),
      h('span', { class: `badge status-${item.status}` }, item.status),
      item.featured ? h('span', { class: 'badge featured' }, 'featured') : null,
      h(
        'time',
        { attrs: { datetime: item.createdAt, title: new Date(item.createdAt).toLocaleString() } },
        relativeTime(item.createdAt),
      ),
    ),
    options.notice ? h('p', { class: 'notice', attrs: { role: 'alert' } }, options.notice) : null,
    parentBlock,
    h('div', { class: 'body' }, sanitizedFragment(item.bodyHtml)),
    meta,
    reasons,
    actions,
    // Trust and safety: the comment's full history, versions and Delete (`#trust/<id>`).
    h(
      'p',
      { class: 'card-links' },
      h(
        'button',
        {
          class: 'btn-link',
          attrs: {
            type: 'button',
            'aria-label': `History of the comment by ${name}, and delete`,
          },
          on: { click: () => location.assign(`#trust/${encodeURIComponent(item.id)}`) },
        },
        'History and delete',
      ),
    ),
  );
  return h('li', { class: 'item', attrs: { 'data-id': item.id } }, article);
}
