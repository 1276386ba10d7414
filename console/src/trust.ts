/**
 * Trust and safety in the console (`#trust`): the Reported queue (published comments with open
 * reader flags: Dismiss, or Reject with a reason code), the Appeals queue (Uphold / Reverse), a
 * comment's history and versions (with Delete), bans (list, add, lift), closing an article, and
 * the transparency figures for admins. Plain sections with headings and labelled controls;
 * results are announced through the console's live region.
 */
import { describeError, query, type Api, type ModerationItem } from './api.js';
import { h, replaceChildren, uid } from './dom.js';
import { sanitizedFragment } from './sanitize.js';

/** The statement-of-reasons codes every site has (a site may add its own). */
export const DEFAULT_REASON_CODES = [
  'spam',
  'abuse',
  'off-topic',
  'personal-data',
  'illegal',
  'other',
];

interface FlaggedItem extends ModerationItem {
  flags: { count: number; reasons: Record<string, number> };
}

interface HistoryEntry {
  actor: string;
  action: string;
  from: string | null;
  to: string;
  reason: string | null;
  reasonCode: string | null;
  at: string;
}

interface ItemDetail extends FlaggedItem {
  history: HistoryEntry[];
  versions: Array<{ body: string; replacedAt: string }>;
  body?: string;
}

interface AppealItem {
  id: string;
  commentId: string;
  message: string;
  status: string;
  createdAt: string;
  comment: ModerationItem | null;
}

interface Ban {
  id: string;
  siteId: string | null;
  email?: string | null;
  ip?: string | null;
  value?: string;
  reason: string;
  expiresAt: string | null;
  createdAt: string;
}

interface Transparency {
  decisions: { automated: Record<string, number>; human: Record<string, number> };
  reasons: Record<string, number>;
  flags: { received: number; byReason: Record<string, number>; actioned: number };
  appeals: { received: number; upheld: number; reversed: number };
  medianMinutesToDecision: number | null;
}

export interface TrustDeps {
  api: Api;
  role: 'admin' | 'moderator';
  announce: (message: string) => void;
  siteId: () => string;
}

const when = (iso: string) => new Date(iso).toLocaleString();
const name = (item: ModerationItem | null) => item?.author?.name ?? '(deleted)';

function body(item: ModerationItem): HTMLElement {
  const el = h('div', { class: 'body' });
  el.append(sanitizedFragment(item.bodyHtml));
  return el;
}

/** Fills a list with a row per item, a line when there is none, or the error. */
async function fillList<T>(
  list: HTMLElement,
  load: () => Promise<T[]>,
  row: (item: T) => HTMLElement,
  empty: string,
): Promise<void> {
  try {
    const items = await load();
    replaceChildren(
      list,
      ...(items.length ? items.map(row) : [h('li', { class: 'empty' }, empty)]),
    );
  } catch (error) {
    replaceChildren(list, h('li', { class: 'empty' }, describeError(error)));
  }
}

function field(label: string, control: HTMLElement): HTMLElement {
  const id = control.id || uid('f');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { attrs: { for: id } }, label), control);
}

export class TrustView {
  readonly root: HTMLElement;
  private readonly reported = h('ol', {
    class: 'trust-list',
    attrs: { 'aria-label': 'Reported comments' },
  });
  private readonly appeals = h('ol', {
    class: 'trust-list',
    attrs: { 'aria-label': 'Open appeals' },
  });
  private readonly bans = h('ul', { class: 'trust-list', attrs: { 'aria-label': 'Bans' } });
  private readonly lookup = h('div', { class: 'lookup-result' });
  private readonly figures = h('div', { class: 'figures' });
  private reasonCodes: string[] = DEFAULT_REASON_CODES;

  constructor(private readonly deps: TrustDeps) {
    const sections: HTMLElement[] = [
      this.section('reported', 'Reported', this.reportedIntro(), this.reported),
      this.section('appeals', 'Appeals', null, this.appeals),
      this.section('lookup', 'Comment history', this.lookupForm(), this.lookup),
      this.section('bans', 'Bans', this.banForm(), this.bans),
      this.section('articles', 'Articles', this.articleForm(), null),
    ];
    if (deps.role === 'admin') {
      sections.push(this.section('transparency', 'Transparency', this.figuresForm(), this.figures));
    }
    this.root = h(
      'div',
      { class: 'trust-view' },
      h(
        'h1',
        { class: 'view-title', attrs: { id: 'trust-title', tabindex: -1 } },
        'Trust and safety',
      ),
      ...sections,
    );
  }

  focusHeading(): void {
    document.getElementById('trust-title')?.focus();
  }

  async open(): Promise<void> {
    await Promise.all([
      this.loadReasonCodes(),
      this.loadReported(),
      this.loadAppeals(),
      this.loadBans(),
    ]);
  }

  private section(
    id: string,
    title: string,
    intro: HTMLElement | null,
    content: HTMLElement | null,
  ): HTMLElement {
    return h(
      'section',
      { class: 'trust-section', attrs: { 'aria-labelledby': `trust-${id}` } },
      h('h2', { attrs: { id: `trust-${id}` } }, title),
      intro,
      content,
    );
  }

  private async loadReasonCodes(): Promise<void> {
    const siteId = this.deps.siteId();
    if (this.deps.role !== 'admin' || !siteId) return;
    try {
      const site = await this.deps.api.site(siteId);
      const reasons = (site.settings.moderation as { reasons?: Record<string, string> }).reasons;
      if (reasons) this.reasonCodes = Object.keys(reasons);
    } catch {
      // Keep the defaults.
    }
  }

  // ---- Reported -----------------------------------------------------------------------------

  private reportedIntro(): HTMLElement {
    return h(
      'p',
      { class: 'hint' },
      'Published comments that readers reported, illegal content first. Dismiss keeps the comment; Reject takes it down with a reason the author sees.',
    );
  }

  async loadReported(): Promise<void> {
    await fillList(
      this.reported,
      async () =>
        (
          await this.deps.api.request<{ items: FlaggedItem[] }>(
            'GET',
            `/v1/moderation/comments${query({ status: 'approved', flagged: 'true', siteId: this.deps.siteId(), limit: 50 })}`,
          )
        ).items,
      (item) => this.reportedItem(item),
      'No reported comments.',
    );
  }

  private reportedItem(item: FlaggedItem): HTMLElement {
    const reasons = Object.entries(item.flags.reasons)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ');
    const select = h('select', { attrs: { id: uid('code') } });
    for (const code of this.reasonCodes) {
      select.append(h('option', { attrs: { value: code, selected: code === 'other' } }, code));
    }
    const li = h(
      'li',
      { class: 'card trust-card' },
      h(
        'p',
        { class: 'card-head' },
        h('strong', {}, name(item)),
        ' · ',
        item.articleId,
        ' · ',
        when(item.createdAt),
      ),
      body(item),
      h(
        'p',
        { class: 'flags' },
        `${item.flags.count} ${item.flags.count === 1 ? 'report' : 'reports'}: ${reasons}`,
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            class: 'btn',
            attrs: {
              type: 'button',
              'aria-label': `Dismiss the reports on ${name(item)}’s comment`,
            },
            on: { click: () => void this.decide(item, 'dismiss') },
          },
          'Dismiss',
        ),
        field('Reason', select),
        h(
          'button',
          {
            class: 'btn reject',
            attrs: { type: 'button', 'aria-label': `Reject ${name(item)}’s comment` },
            on: { click: () => void this.decide(item, 'reject', select.value) },
          },
          'Reject',
        ),
        this.historyButton(item.id),
      ),
    );
    return li;
  }

  private async decide(item: ModerationItem, action: 'dismiss' | 'reject', reasonCode?: string) {
    try {
      await this.deps.api.request('POST', `/v1/moderation/comments/${item.id}/decision`, {
        body: reasonCode ? { action, reasonCode } : { action },
      });
      this.deps.announce(
        action === 'dismiss'
          ? `Reports on ${name(item)}’s comment dismissed.`
          : `${name(item)}’s comment rejected (${reasonCode}).`,
      );
      await this.loadReported();
      this.reported.querySelector<HTMLButtonElement>('button')?.focus();
    } catch (error) {
      this.deps.announce(`Not done: ${describeError(error)}`);
    }
  }

  // ---- Appeals ------------------------------------------------------------------------------

  async loadAppeals(): Promise<void> {
    await fillList(
      this.appeals,
      async () =>
        (
          await this.deps.api.request<{ items: AppealItem[] }>(
            'GET',
            `/v1/moderation/appeals${query({ status: 'open', siteId: this.deps.siteId() })}`,
          )
        ).items,
      (a) => this.appealItem(a),
      'No open appeals.',
    );
  }

  private appealItem(appeal: AppealItem): HTMLElement {
    const who = name(appeal.comment);
    const button = (action: 'uphold' | 'reverse', label: string, cls: string) =>
      h(
        'button',
        {
          class: `btn ${cls}`,
          attrs: { type: 'button', 'aria-label': `${label}: the appeal of ${who}` },
          on: { click: () => void this.decideAppeal(appeal, action) },
        },
        label,
      );
    return h(
      'li',
      { class: 'card trust-card' },
      h('p', { class: 'card-head' }, h('strong', {}, who), ' appealed on ', when(appeal.createdAt)),
      h('blockquote', { class: 'appeal-message' }, appeal.message),
      appeal.comment ? body(appeal.comment) : null,
      h(
        'div',
        { class: 'actions' },
        button('uphold', 'Uphold', ''),
        button('reverse', 'Reverse and publish', 'approve'),
        this.historyButton(appeal.commentId),
      ),
    );
  }

  private async decideAppeal(appeal: AppealItem, action: 'uphold' | 'reverse') {
    try {
      await this.deps.api.request('POST', `/v1/moderation/appeals/${appeal.id}/decision`, {
        body: { action },
      });
      this.deps.announce(
        action === 'uphold'
          ? `Appeal of ${name(appeal.comment)} upheld: the decision stands.`
          : `Appeal of ${name(appeal.comment)} reversed: the comment is published.`,
      );
      await this.loadAppeals();
    } catch (error) {
      this.deps.announce(`Not done: ${describeError(error)}`);
    }
  }

  // ---- Comment history, versions and delete ---------------------------------------------------

  private historyButton(id: string): HTMLElement {
    return h(
      'button',
      {
        class: 'btn subtle',
        attrs: { type: 'button' },
        on: {
          click: () => {
            const input = document.getElementById('lookup-id') as HTMLInputElement | null;
            if (input) input.value = id;
            void this.showHistory(id, true);
          },
        },
      },
      'History',
    );
  }

  private lookupForm(): HTMLElement {
    const input = h('input', {
      attrs: { id: 'lookup-id', type: 'text', autocomplete: 'off', spellcheck: 'false', size: 38 },
    });
    return h(
      'form',
      {
        class: 'inline-form',
        on: {
          submit: (e) => {
            e.preventDefault();
            if (input.value.trim()) void this.showHistory(input.value.trim(), false);
          },
        },
      },
      field('Comment id', input),
      h('button', { class: 'btn', attrs: { type: 'submit' } }, 'Show history'),
    );
  }

  async showHistory(id: string, focus: boolean): Promise<void> {
    const input = this.root.querySelector<HTMLInputElement>('#lookup-id');
    if (input) input.value = id;
    let detail: ItemDetail;
    try {
      detail = await this.deps.api.request<ItemDetail>(
        'GET',
        `/v1/moderation/comments/${encodeURIComponent(id)}`,
      );
    } catch (error) {
      replaceChildren(this.lookup, h('p', { attrs: { role: 'alert' } }, describeError(error)));
      return;
    }
    const heading = h(
      'h3',
      { attrs: { tabindex: -1 } },
      `History of ${name(detail)}’s comment (${detail.status})`,
    );
    const rows = detail.history.map((e) =>
      h(
        'tr',
        {},
        h('td', {}, when(e.at)),
        h('td', {}, e.actor),
        h('td', {}, e.action),
        h('td', {}, `${e.from ?? '—'} → ${e.to}`),
        h('td', {}, [e.reasonCode, e.reason].filter(Boolean).join(': ') || '—'),
      ),
    );
    const table = h(
      'table',
      { class: 'history' },
      h('caption', { class: 'sr-only' }, 'Every change, oldest first'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['When', 'Who', 'Action', 'Status', 'Reason'].map((t) =>
            h('th', { attrs: { scope: 'col' } }, t),
          ),
        ),
      ),
      h('tbody', {}, ...rows),
    );
    const versions = detail.versions.length
      ? h(
          'div',
          { class: 'versions' },
          h('h4', {}, 'Earlier versions'),
          h(
            'ol',
            {},
            ...detail.versions.map((v) =>
              h(
                'li',
                {},
                h('p', { class: 'hint' }, `Replaced ${when(v.replacedAt)}`),
                h('p', { class: 'preview' }, v.body),
              ),
            ),
          ),
        )
      : null;
    const del =
      detail.status === 'deleted'
        ? null
        : h(
            'button',
            {
              class: 'btn danger',
              attrs: { type: 'button', 'aria-label': `Delete ${name(detail)}’s comment` },
              on: {
                click: () => {
                  void this.deps.api
                    .request('DELETE', `/v1/moderation/comments/${encodeURIComponent(detail.id)}`)
                    .then(
                      async () => {
                        this.deps.announce(`${name(detail)}’s comment deleted.`);
                        await this.showHistory(detail.id, true);
                      },
                      (error: unknown) =>
                        this.deps.announce(`Not deleted: ${describeError(error)}`),
                    );
                },
              },
            },
            'Delete comment',
          );
    replaceChildren(
      this.lookup,
      heading,
      h('p', { class: 'hint' }, `${detail.siteId} · ${detail.articleId}`),
      body(detail),
      table,
      versions,
      del,
    );
    if (focus) heading.focus();
  }

  // ---- Bans ---------------------------------------------------------------------------------

  private banForm(): HTMLElement {
    const kind = h(
      'select',
      { attrs: { id: 'ban-kind' } },
      h('option', { attrs: { value: 'email' } }, 'Email address'),
      h('option', { attrs: { value: 'ip' } }, 'IP address'),
    );
    const value = h('input', {
      attrs: { id: 'ban-value', type: 'text', autocomplete: 'off', required: true },
    });
    const reason = h('input', {
      attrs: {
        id: 'ban-reason',
        type: 'text',
        autocomplete: 'off',
        required: true,
        maxlength: 1000,
      },
    });
    const days = h('input', { attrs: { id: 'ban-days', type: 'number', min: 1, max: 3650 } });
    const error = h('p', { class: 'field-error', attrs: { role: 'alert' } });
    return h(
      'form',
      {
        class: 'inline-form',
        on: {
          submit: (e) => {
            e.preventDefault();
            error.textContent = '';
            const body: Record<string, unknown> = {
              [kind.value]: value.value.trim(),
              reason: reason.value.trim(),
            };
            const siteId = this.deps.siteId();
            if (siteId) body.siteId = siteId;
            if (days.value) {
              body.expiresAt = new Date(Date.now() + Number(days.value) * 86_400_000).toISOString();
            }
            void this.deps.api.request('POST', '/v1/moderation/bans', { body }).then(
              async () => {
                this.deps.announce(`Ban added.`);
                value.value = '';
                reason.value = '';
                days.value = '';
                await this.loadBans();
              },
              (err: unknown) => {
                error.textContent = describeError(err);
              },
            );
          },
        },
      },
      field('Ban by', kind),
      field('Email or IP address', value),
      field('Reason (internal)', reason),
      field('Days (empty: until lifted)', days),
      h('button', { class: 'btn', attrs: { type: 'submit' } }, 'Add ban'),
      error,
    );
  }

  async loadBans(): Promise<void> {
    await fillList(
      this.bans,
      async () => {
        const res = await this.deps.api.request<{ items: Ban[] } | Ban[]>(
          'GET',
          `/v1/moderation/bans${query({ siteId: this.deps.siteId() })}`,
        );
        return Array.isArray(res) ? res : res.items;
      },
      (ban) => {
        const what = ban.email ?? ban.ip ?? ban.value ?? 'ban';
        return h(
          'li',
          { class: 'ban' },
          h(
            'span',
            {},
            `${what} — ${ban.reason}`,
            ban.expiresAt ? ` (until ${when(ban.expiresAt)})` : '',
          ),
          ' ',
          h(
            'button',
            {
              class: 'btn subtle',
              attrs: { type: 'button', 'aria-label': `Lift the ban on ${what}` },
              on: {
                click: () =>
                  void this.deps.api.request('DELETE', `/v1/moderation/bans/${ban.id}`).then(
                    async () => {
                      this.deps.announce(`Ban on ${what} lifted.`);
                      await this.loadBans();
                    },
                    (error: unknown) => this.deps.announce(`Not lifted: ${describeError(error)}`),
                  ),
              },
            },
            'Lift',
          ),
        );
      },
      'No bans.',
    );
  }

  // ---- Articles -----------------------------------------------------------------------------

  private articleForm(): HTMLElement {
    const site = h('input', {
      attrs: { id: 'article-site', type: 'text', list: 'site-options', autocomplete: 'off' },
    });
    const article = h('input', {
      attrs: { id: 'article-id', type: 'text', autocomplete: 'off', required: true },
    });
    const closed = h('input', { attrs: { id: 'article-closed', type: 'checkbox', checked: true } });
    const note =
      this.deps.role === 'admin'
        ? null
        : h('p', { class: 'hint' }, 'Closing an article needs an admin token.');
    return h(
      'form',
      {
        class: 'inline-form',
        on: {
          submit: (e) => {
            e.preventDefault();
            const siteId = site.value.trim() || this.deps.siteId() || 'default';
            const articleId = article.value.trim();
            void this.deps.api
              .request(
                'PUT',
                `/v1/admin/sites/${encodeURIComponent(siteId)}/articles/${encodeURIComponent(articleId)}`,
                {
                  body: { closed: closed.checked },
                },
              )
              .then(
                () =>
                  this.deps.announce(
                    `Comments on ${articleId} are ${closed.checked ? 'closed' : 'open'}.`,
                  ),
                (error: unknown) => this.deps.announce(`Not changed: ${describeError(error)}`),
              );
          },
        },
      },
      field('Site', site),
      field('Article id', article),
      h(
        'div',
        { class: 'field check' },
        closed,
        h('label', { attrs: { for: 'article-closed' } }, 'Closed to new comments'),
      ),
      h('button', { class: 'btn', attrs: { type: 'submit' } }, 'Save'),
      note,
    );
  }

  // ---- Transparency -------------------------------------------------------------------------

  private figuresForm(): HTMLElement {
    const from = h('input', { attrs: { id: 'figures-from', type: 'date' } });
    const to = h('input', { attrs: { id: 'figures-to', type: 'date' } });
    return h(
      'form',
      {
        class: 'inline-form',
        on: {
          submit: (e) => {
            e.preventDefault();
            void this.loadFigures(from.value, to.value);
          },
        },
      },
      field('From', from),
      field('To', to),
      h('button', { class: 'btn', attrs: { type: 'submit' } }, 'Show figures'),
    );
  }

  async loadFigures(from = '', to = ''): Promise<void> {
    try {
      const f = await this.deps.api.request<Transparency>(
        'GET',
        `/v1/admin/transparency${query({
          siteId: this.deps.siteId(),
          from: from ? new Date(from).toISOString() : '',
          to: to ? new Date(`${to}T23:59:59.999Z`).toISOString() : '',
        })}`,
      );
      const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
      const row = (label: string, value: string | number) =>
        h('tr', {}, h('th', { attrs: { scope: 'row' } }, label), h('td', {}, String(value)));
      const list = (o: Record<string, number>) =>
        Object.entries(o)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '—';
      replaceChildren(
        this.figures,
        h(
          'table',
          { class: 'figures-table' },
          h('caption', {}, 'Transparency figures'),
          h(
            'tbody',
            {},
            row('Decisions by people', `${sum(f.decisions.human)} (${list(f.decisions.human)})`),
            row(
              'Automated decisions',
              `${sum(f.decisions.automated)} (${list(f.decisions.automated)})`,
            ),
            row('Removals by reason', list(f.reasons)),
            row('Reports received', `${f.flags.received} (${list(f.flags.byReason)})`),
            row('Reports acted on', f.flags.actioned),
            row('Appeals received', f.appeals.received),
            row('Appeals upheld', f.appeals.upheld),
            row('Appeals reversed', f.appeals.reversed),
            row(
              'Median time to a decision',
              f.medianMinutesToDecision === null ? '—' : `${f.medianMinutesToDecision} minutes`,
            ),
          ),
        ),
      );
      this.deps.announce('Transparency figures updated.');
    } catch (error) {
      replaceChildren(this.figures, h('p', { attrs: { role: 'alert' } }, describeError(error)));
    }
  }
}
