/**
 * Trust and safety in the widget: "Report" on every comment (a small dialog with the reasons),
 * "Edit" (during the site's edit window) and "Delete" on the reader's own comments, and the
 * statement of reasons on an own comment that was not published. The receipt that the submit
 * answered is the key; this browser keeps it (never the email) for 30 days.
 */
import { ApiError, type Api, type PublicComment, type ReceiptView } from './api.js';
import { h } from './dom.js';
import type { MessageKey, Messages } from './i18n/index.js';

/** The reasons a reader may give (docs/api.md), with their message keys. */
export const FLAG_REASONS: ReadonlyArray<readonly [string, MessageKey]> = [
  ['spam', 'reasonSpam'],
  ['abuse', 'reasonAbuse'],
  ['off-topic', 'reasonOffTopic'],
  ['personal-data', 'reasonPersonalData'],
  ['illegal', 'reasonIllegal'],
  ['other', 'reasonOther'],
];

/** The default edit window, when the server has not said (it decides anyway). */
const DEFAULT_EDIT_MS = 15 * 60_000;
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

interface Receipt {
  receipt: string;
  /** Submitted at (ms). */
  at: number;
  /** Until when the server allows edits (ms), once known. */
  editableUntil?: number;
}

const memory = new Map<string, string>();
function store(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  try {
    return window.localStorage;
  } catch {
    return {
      getItem: (k) => memory.get(k) ?? null,
      setItem: (k, v) => void memory.set(k, v),
      removeItem: (k) => void memory.delete(k),
    };
  }
}

/** The receipts of this reader's comments on one article (localStorage, 30 days). */
export class ReceiptBook {
  private readonly key: string;

  constructor(origin: string, site: string, article: string) {
    this.key = `comments-widget-receipts:${origin}|${site}|${article}`;
  }

  private read(): Record<string, Receipt> {
    try {
      const raw = JSON.parse(store().getItem(this.key) ?? '{}') as unknown;
      if (!raw || typeof raw !== 'object') return {};
      const now = Date.now();
      return Object.fromEntries(
        Object.entries(raw as Record<string, Receipt>).filter(
          ([, r]) => r && typeof r.receipt === 'string' && now - Number(r.at) < MAX_AGE_MS,
        ),
      );
    } catch {
      return {};
    }
  }

  private write(all: Record<string, Receipt>): void {
    try {
      if (Object.keys(all).length) store().setItem(this.key, JSON.stringify(all));
      else store().removeItem(this.key);
    } catch {
      // Quota or storage blocked: the actions last for this page view only.
    }
  }

  get(id: string): Receipt | undefined {
    return this.read()[id];
  }

  put(id: string, receipt: Receipt): void {
    this.write({ ...this.read(), [id]: receipt });
  }

  remove(id: string): void {
    const all = this.read();
    delete all[id];
    this.write(all);
  }
}

/** What the widget lends the trust actions. */
export interface TrustHost {
  api: Api;
  /** The widget's messages, in its language. */
  m: Messages;
  root: ShadowRoot;
  announce(text: string, bad?: boolean): void;
  /** The author's edit was accepted: show the comment as awaiting moderation again. */
  edited(id: string, body: string): void;
  /** The author deleted the comment. */
  deleted(id: string): void;
}

export class TrustActions {
  private dialogParts: {
    dialog: HTMLDialogElement;
    form: HTMLFormElement;
    detail: HTMLTextAreaElement;
    status: HTMLParagraphElement;
  } | null = null;
  private reporting: { id: string; opener: HTMLElement } | null = null;

  constructor(
    private readonly host: TrustHost,
    readonly receipts: ReceiptBook,
  ) {}

  /** The report dialog, made on first use (most readers never report anything). */
  private reportDialog() {
    if (this.dialogParts) return this.dialogParts;
    const host = this.host;
    const m = host.m;
    const detail = h('textarea', { id: 'report-detail', rows: '3', maxlength: '1000' });
    const status = h('p', { class: 'dialog-status', role: 'status', 'aria-live': 'polite' });
    const send = h('button', { type: 'submit', class: 'button' }, m.t('reportSend'));
    const cancel = h('button', { type: 'button', class: 'button secondary' }, m.t('cancel'));
    const form = h(
      'form',
      { class: 'report-form', novalidate: true },
      h(
        'fieldset',
        {},
        h('legend', {}, m.t('reportWhy')),
        ...FLAG_REASONS.map(([value, label], i) =>
          h(
            'label',
            { class: 'choice' },
            h('input', {
              type: 'radio',
              name: 'reason',
              value,
              required: true,
              checked: i === 0 ? true : undefined,
            }),
            ' ',
            m.t(label),
          ),
        ),
      ),
      h('label', { for: 'report-detail' }, m.t('reportDetail')),
      detail,
      h('div', { class: 'dialog-actions' }, send, cancel),
      status,
    );
    const dialog = h(
      'dialog',
      { class: 'report', 'aria-labelledby': 'report-title' },
      h('h3', { id: 'report-title' }, m.t('reportTitle')),
      form,
    );
    host.root.append(dialog);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.sendReport();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      this.reporting?.opener.focus();
      this.reporting = null;
    });
    this.dialogParts = { dialog, form, detail, status };
    return this.dialogParts;
  }

  /** Remembers a new comment's receipt (from the submit answer). */
  remember(id: string, receipt: string): void {
    this.receipts.put(id, { receipt, at: Date.now() });
  }

  /** Learns what the server says of an own comment (its edit window). */
  learn(id: string, view: ReceiptView): void {
    const known = this.receipts.get(id);
    if (!known) return;
    const until = view.editableUntil ? Date.parse(view.editableUntil) : 0;
    this.receipts.put(id, { ...known, editableUntil: until });
  }

  /** The buttons under a published comment: Report, and Edit / Delete on the reader's own. */
  actionsFor(comment: PublicComment, authorName: string): HTMLElement[] {
    const buttons: HTMLElement[] = [];
    const own = this.receipts.get(comment.id);
    if (own) {
      const until = own.editableUntil ?? own.at + DEFAULT_EDIT_MS;
      if (until > Date.now()) {
        buttons.push(
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              'data-edit': comment.id,
              'aria-label': this.host.m.t('editOwn'),
            },
            this.host.m.t('edit'),
          ),
        );
      }
      buttons.push(
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            'data-delete': comment.id,
            'aria-label': this.host.m.t('deleteOwn'),
          },
          this.host.m.t('delete'),
        ),
      );
    } else {
      buttons.push(
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            'data-report': comment.id,
            'aria-label': this.host.m.t('reportComment', { name: authorName }),
          },
          this.host.m.t('report'),
        ),
      );
    }
    return buttons;
  }

  /** Handles a click in the thread; true when it was one of these actions. */
  handleClick(target: Element): boolean {
    const report = target.closest('button[data-report]');
    if (report) {
      this.openReport(report.getAttribute('data-report')!, report as HTMLElement);
      return true;
    }
    const edit = target.closest('button[data-edit]');
    if (edit) {
      this.startEdit(edit.getAttribute('data-edit')!, edit as HTMLElement);
      return true;
    }
    const remove = target.closest('button[data-delete]');
    if (remove) {
      this.confirmDelete(remove.getAttribute('data-delete')!, remove as HTMLElement);
      return true;
    }
    return false;
  }

  // ---- report -------------------------------------------------------------------------------

  private openReport(id: string, opener: HTMLElement): void {
    const { dialog, form, status } = this.reportDialog();
    this.reporting = { id, opener };
    form.reset();
    status.textContent = '';
    status.classList.remove('bad');
    dialog.showModal();
    form.querySelector<HTMLInputElement>('input[name=reason]:checked')?.focus();
  }

  private async sendReport(): Promise<void> {
    const target = this.reporting;
    const parts = this.dialogParts;
    if (!target || !parts) return;
    const reason =
      parts.form.querySelector<HTMLInputElement>('input[name=reason]:checked')?.value ?? 'other';
    const detail = parts.detail.value.trim();
    parts.form.setAttribute('aria-busy', 'true');
    try {
      await this.host.api.flag(target.id, reason, detail || undefined);
      parts.dialog.close();
      this.host.announce(this.host.m.t('reportSent'));
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      parts.status.classList.add('bad');
      parts.status.textContent =
        status === 404
          ? this.host.m.t('reportGone')
          : status === 429
            ? this.host.m.t('reportTooQuickly')
            : this.host.m.t('reportFailed');
    } finally {
      parts.form.removeAttribute('aria-busy');
    }
  }

  // ---- edit ---------------------------------------------------------------------------------

  private startEdit(id: string, opener: HTMLElement): void {
    const article = opener.closest('.comment');
    const body = article?.querySelector<HTMLElement>(':scope > .body');
    if (!article || !body || article.querySelector('.edit-form')) return;
    const own = this.receipts.get(id);
    if (!own) return;
    const text = h('textarea', {
      id: `edit-${id}`,
      rows: '5',
      maxlength: '10000',
      'aria-describedby': `edit-status-${id}`,
    });
    text.value = body.innerText.trim();
    const { form, status, cancel } = this.textForm(text, 'editOwn', 'save');
    status.id = `edit-status-${id}`;
    body.hidden = true;
    body.after(form);
    text.focus();
    const close = () => {
      form.remove();
      body.hidden = false;
      opener.focus();
    };
    cancel.addEventListener('click', close);
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = text.value.trim();
      if (!value) {
        status.classList.add('bad');
        status.textContent = this.host.m.t('needBody');
        return;
      }
      form.setAttribute('aria-busy', 'true');
      this.host.api.editOwn(id, own.receipt, value).then(
        () => {
          form.remove();
          body.hidden = false;
          this.host.edited(id, value);
          this.host.announce(this.host.m.t('editSaved'));
        },
        (error: unknown) => {
          form.removeAttribute('aria-busy');
          const code = error instanceof ApiError ? error.status : 0;
          status.classList.add('bad');
          status.textContent =
            code === 403
              ? this.host.m.t('editOver')
              : code === 409
                ? this.host.m.t('editNotNow')
                : code === 429
                  ? this.host.m.t('editTooQuickly')
                  : this.host.m.t('editFailed');
          if (code === 403) {
            this.receipts.put(id, { ...own, editableUntil: 0 });
            opener.remove();
          }
        },
      );
    });
  }

  // ---- delete -------------------------------------------------------------------------------

  private confirmDelete(id: string, opener: HTMLElement): void {
    const actions = opener.parentElement;
    if (!actions || actions.querySelector('.confirm')) return;
    const yes = h('button', { type: 'button', class: 'button' }, this.host.m.t('delete'));
    const no = h('button', { type: 'button', class: 'button secondary' }, this.host.m.t('keep'));
    const box = h(
      'div',
      { class: 'confirm', role: 'group', 'aria-label': this.host.m.t('deleteConfirmLabel') },
      h('span', {}, this.host.m.t('deleteConfirm')),
      ' ',
      yes,
      ' ',
      no,
    );
    actions.append(box);
    no.focus();
    no.addEventListener('click', () => {
      box.remove();
      opener.focus();
    });
    yes.addEventListener('click', () => {
      const own = this.receipts.get(id);
      if (!own) return;
      yes.disabled = true;
      this.host.api.deleteOwn(id, own.receipt).then(
        () => {
          this.receipts.remove(id);
          this.host.deleted(id);
          this.host.announce(this.host.m.t('deletedOwn'));
        },
        (error: unknown) => {
          yes.disabled = false;
          if (error instanceof ApiError && error.status === 404) this.receipts.remove(id);
          this.host.announce(this.host.m.t('deleteFailed'), true);
        },
      );
    });
  }

  // ---- statement of reasons -------------------------------------------------------------------

  /**
   * Turns an own comment's notice into the statement of reasons (not published, and why), with
   * "Ask for a review" (an appeal) while the window is open.
   */
  showDecision(li: HTMLElement, view: ReceiptView, receipt: string): void {
    li.classList.add('rejected');
    const notice = li.querySelector<HTMLElement>('.notice');
    const parts: Array<HTMLElement | string> = [
      h('strong', {}, this.host.m.t('notPublished')),
      ' ',
      view.decision?.explanation ?? '',
    ];
    if (view.appeal) {
      parts.push(
        ' ',
        view.appeal.status === null
          ? this.host.m.t('reviewUntil', { date: this.host.m.date(view.appeal.until) })
          : view.appeal.status === 'open'
            ? this.host.m.t('reviewOpen')
            : view.appeal.status === 'upheld'
              ? this.host.m.t('reviewUpheld')
              : this.host.m.t('reviewReversed'),
      );
    }
    const statement = h('p', { class: 'notice decision', role: 'note' }, ...parts);
    li.querySelector('.appeal-box')?.remove();
    if (notice) notice.replaceWith(statement);
    else li.querySelector('.decision')?.replaceWith(statement);
    if (view.appeal?.status === null && Date.parse(view.appeal.until) > Date.now()) {
      statement.after(this.appealBox(view.id, receipt, li));
    }
  }

  /** A labelled text box with a submit and a cancel button and a status line (edit, appeal). */
  private textForm(text: HTMLTextAreaElement, label: MessageKey, submitLabel: MessageKey) {
    const status = h('p', { class: 'dialog-status', role: 'status', 'aria-live': 'polite' });
    const submit = h('button', { type: 'submit', class: 'button' }, this.host.m.t(submitLabel));
    const cancel = h(
      'button',
      { type: 'button', class: 'button secondary' },
      this.host.m.t('cancel'),
    );
    const form = h(
      'form',
      { class: 'edit-form', novalidate: true },
      h('label', { for: text.id }, this.host.m.t(label)),
      text,
      h('div', { class: 'dialog-actions' }, submit, cancel),
      status,
    );
    return { form, status, submit, cancel };
  }

  private appealBox(id: string, receipt: string, li: HTMLElement): HTMLElement {
    const ask = h('button', { type: 'button', class: 'link' }, this.host.m.t('askReview'));
    const box = h('div', { class: 'appeal-box' }, ask);
    ask.addEventListener('click', () => {
      const text = h('textarea', { id: `appeal-${id}`, rows: '3', maxlength: '2000' });
      const { form, status, submit: send, cancel } = this.textForm(text, 'reviewWhy', 'send');
      box.replaceChildren(form);
      text.focus();
      cancel.addEventListener('click', () => {
        box.replaceChildren(ask);
        ask.focus();
      });
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const message = text.value.trim();
        if (!message) {
          status.classList.add('bad');
          status.textContent = this.host.m.t('reviewNeedWhy');
          return;
        }
        send.disabled = true;
        this.host.api.appeal(id, receipt, message).then(
          () => {
            box.remove();
            const statement = li.querySelector('.decision');
            statement?.append(` ${this.host.m.t('reviewSent')}`);
            this.host.announce(this.host.m.t('reviewSent'));
          },
          (error: unknown) => {
            send.disabled = false;
            const code = error instanceof ApiError ? error.status : 0;
            status.classList.add('bad');
            status.textContent =
              code === 409
                ? this.host.m.t('reviewTwice')
                : code === 403
                  ? this.host.m.t('reviewOver')
                  : this.host.m.t('reviewFailed');
          },
        );
      });
    });
    return box;
  }
}

export const TRUST_STYLES = `
.actions{display:flex;flex-wrap:wrap;gap:.25em 1em;align-items:center}
dialog.report{border:1px solid var(--cw-border,#d9dee3);border-radius:var(--cw-radius,6px);padding:1em 1.25em;max-width:min(32em,92vw);color:inherit;background:var(--cw-bg-dialog,#fff)}
dialog.report::backdrop{background:rgba(0,0,0,.35)}
.report-form,.edit-form{margin:.5em 0 0;padding:0;border:0}
fieldset{border:0;margin:0 0 .75em;padding:0}
legend{font-weight:600;margin-bottom:.4em}
label.choice{font-weight:400;display:flex;gap:.4em;align-items:center;margin:.2em 0}
label.choice input{width:auto;display:inline-block}
.dialog-actions{display:flex;gap:.5em;margin-top:.75em}
.dialog-status{margin:.75em 0 0}
.dialog-status:empty{display:none}
.dialog-status.bad{color:var(--cw-error,#b42318)}
.confirm{display:inline-flex;flex-wrap:wrap;gap:.4em;align-items:center;font-size:.9em}
.confirm .button{padding:.3em .8em}
.rejected .comment{border-color:var(--cw-error,#b42318)}
.decision{color:var(--cw-error,#b42318);font-style:normal}
`;
