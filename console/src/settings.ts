import {
  ApiError,
  describeError,
  type Api,
  type FieldError,
  type Site,
  type SiteSettings,
} from './api.js';
import { h, replaceChildren } from './dom.js';

/**
 * Site settings for admins (`GET/PUT /v1/admin/sites/{siteId}`). The server validates; its
 * problem+json `errors` are shown next to their fields (the form has `novalidate`, so what the
 * server says is what the admin sees).
 */

type Kind = 'text' | 'integer' | 'number' | 'lines' | 'select' | 'checkbox' | 'nullable-integer';

interface FieldSpec {
  /** The API's field path, as validation errors name it. */
  path: string;
  label: string;
  kind: Kind;
  hint?: string;
  options?: [string, string][];
  get(site: Site): unknown;
}

const FIELDS: { legend: string; fields: FieldSpec[] }[] = [
  {
    legend: 'Site',
    fields: [
      { path: 'name', label: 'Name', kind: 'text', get: (s) => s.name },
      {
        path: 'allowedOrigins',
        label: 'Allowed origins',
        kind: 'lines',
        hint: 'One per line, scheme://host[:port] — the pages that may embed the widget.',
        get: (s) => s.allowedOrigins,
      },
    ],
  },
  {
    legend: 'Moderation',
    fields: [
      {
        path: 'settings.moderation.mode',
        label: 'Mode',
        kind: 'select',
        options: [
          ['pre', 'Pre-moderation: hold every comment'],
          ['trusted', 'Trusted: approve authors with an approved comment, hold the rest'],
          ['post', 'Post-moderation: approve unless a rule holds it'],
        ],
        get: (s) => s.settings.moderation.mode,
      },
      {
        path: 'settings.moderation.maxLinks',
        label: 'Most links before holding',
        kind: 'integer',
        get: (s) => s.settings.moderation.maxLinks,
      },
      {
        path: 'settings.moderation.holdWords',
        label: 'Hold words',
        kind: 'lines',
        hint: 'One word or phrase per line; a match holds the comment for a person.',
        get: (s) => s.settings.moderation.holdWords,
      },
      {
        path: 'settings.moderation.blockWords',
        label: 'Block words',
        kind: 'lines',
        hint: 'One per line; a match sends the comment to spam.',
        get: (s) => s.settings.moderation.blockWords,
      },
      {
        path: 'settings.moderation.holdProfanity',
        label: 'Hold comments with profanity',
        kind: 'checkbox',
        get: (s) => s.settings.moderation.holdProfanity ?? true,
      },
      {
        path: 'settings.moderation.maxDepth',
        label: 'Deepest reply level',
        kind: 'integer',
        get: (s) => s.settings.moderation.maxDepth,
      },
      {
        path: 'settings.moderation.closeAfterDays',
        label: 'Close comments after (days)',
        kind: 'nullable-integer',
        hint: 'Counted from the article’s first comment. Empty: never.',
        get: (s) => s.settings.moderation.closeAfterDays,
      },
    ],
  },
  {
    legend: 'Spam filter',
    fields: [
      {
        path: 'settings.spam.spamThreshold',
        label: 'Spam threshold',
        kind: 'number',
        hint: '0 to 1; at or above: spam.',
        get: (s) => s.settings.spam.spamThreshold,
      },
      {
        path: 'settings.spam.holdThreshold',
        label: 'Hold threshold',
        kind: 'number',
        hint: '0 to 1, not above the spam threshold; at or above: held.',
        get: (s) => s.settings.spam.holdThreshold,
      },
      {
        path: 'settings.requireProofOfWork',
        label: 'Require proof of work (ALTCHA)',
        kind: 'checkbox',
        get: (s) => s.settings.requireProofOfWork,
      },
    ],
  },
  {
    legend: 'Limits',
    fields: [
      {
        path: 'settings.maxBodyLength',
        label: 'Longest comment (characters)',
        kind: 'integer',
        get: (s) => s.settings.maxBodyLength,
      },
      {
        path: 'settings.rateLimit.perIpPerMinute',
        label: 'Comments per address per minute',
        kind: 'integer',
        get: (s) => s.settings.rateLimit.perIpPerMinute,
      },
      {
        path: 'settings.rateLimit.perEmailPerMinute',
        label: 'Comments per email per minute',
        kind: 'integer',
        get: (s) => s.settings.rateLimit.perEmailPerMinute,
      },
    ],
  },
];

const fieldId = (path: string) => `field-${path.replace(/\./g, '-')}`;

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

function parseNumber(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  // Not a number: send it as typed, so the server's message names the problem.
  return Number.isFinite(n) ? n : trimmed;
}

export class SettingsView {
  readonly root: HTMLElement;
  private readonly siteSelect: HTMLSelectElement;
  private readonly form: HTMLFormElement;
  private readonly summary: HTMLElement;
  private readonly status: HTMLElement;
  private readonly controls = new Map<
    string,
    HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement
  >();
  private sites: Site[] = [];
  private current: Site | null = null;

  constructor(
    private readonly api: Api,
    private readonly announce: (message: string) => void,
  ) {
    this.siteSelect = h('select', {
      attrs: { id: 'settings-site' },
      on: { change: () => void this.load(this.siteSelect.value) },
    });
    this.summary = h('div', { class: 'error-summary', attrs: { tabindex: -1 } });
    this.summary.hidden = true;
    this.status = h('p', { class: 'save-status', attrs: { role: 'status' } });
    this.form = h('form', {
      class: 'settings-form',
      attrs: { novalidate: true, 'aria-labelledby': 'settings-heading' },
      on: {
        submit: (e) => {
          e.preventDefault();
          void this.save();
        },
      },
    });
    for (const group of FIELDS) {
      const fieldset = h('fieldset', {}, h('legend', {}, group.legend));
      for (const spec of group.fields) fieldset.append(this.renderField(spec));
      this.form.append(fieldset);
    }
    this.form.append(
      h(
        'div',
        { class: 'form-actions' },
        h('button', { class: 'btn primary', attrs: { type: 'submit' } }, 'Save settings'),
        this.status,
      ),
    );
    this.root = h(
      'section',
      { class: 'settings', attrs: { 'aria-labelledby': 'settings-heading' } },
      h('h2', { attrs: { id: 'settings-heading', tabindex: -1 } }, 'Site settings'),
      h(
        'div',
        { class: 'field site-picker' },
        h('label', { attrs: { for: 'settings-site' } }, 'Site'),
        this.siteSelect,
      ),
      this.summary,
      this.form,
    );
  }

  private renderField(spec: FieldSpec): HTMLElement {
    const id = fieldId(spec.path);
    const errorId = `${id}-error`;
    const hintId = spec.hint ? `${id}-hint` : null;
    const describedBy = [hintId, errorId].filter(Boolean).join(' ');
    let control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    const attrs = { id, name: spec.path, 'aria-describedby': describedBy, 'data-field': spec.path };
    switch (spec.kind) {
      case 'lines':
        control = h('textarea', { attrs: { ...attrs, rows: 4, spellcheck: 'false' } });
        break;
      case 'select':
        control = h(
          'select',
          { attrs },
          ...(spec.options ?? []).map(([value, label]) => h('option', { attrs: { value } }, label)),
        );
        break;
      case 'checkbox':
        control = h('input', { attrs: { ...attrs, type: 'checkbox' } });
        break;
      case 'text':
        control = h('input', { attrs: { ...attrs, type: 'text', autocomplete: 'off' } });
        break;
      case 'integer':
      case 'nullable-integer':
      case 'number':
        control = h('input', {
          attrs: {
            ...attrs,
            type: 'text',
            inputmode: spec.kind === 'number' ? 'decimal' : 'numeric',
            autocomplete: 'off',
          },
        });
    }
    this.controls.set(spec.path, control);
    const label = h('label', { attrs: { for: id } }, spec.label);
    const error = h('p', { class: 'field-error', attrs: { id: errorId } });
    const hint = hintId ? h('p', { class: 'hint', attrs: { id: hintId } }, spec.hint ?? '') : null;
    return spec.kind === 'checkbox'
      ? h('div', { class: 'field checkbox' }, control, label, hint, error)
      : h('div', { class: 'field' }, label, control, hint, error);
  }

  /** Loads the site list (first time) and the chosen site's settings. */
  async open(preferredSite: string): Promise<void> {
    try {
      this.sites = (await this.api.sites()).items;
    } catch (error) {
      this.showStatus(`Could not load the sites: ${describeError(error)}`, true);
      return;
    }
    replaceChildren(
      this.siteSelect,
      ...this.sites.map((s) => h('option', { attrs: { value: s.id } }, `${s.name} (${s.id})`)),
    );
    const id = this.sites.some((s) => s.id === preferredSite)
      ? preferredSite
      : (this.current?.id ?? this.sites[0]?.id);
    if (id) await this.load(id);
  }

  focusHeading(): void {
    this.root.querySelector<HTMLElement>('#settings-heading')?.focus();
  }

  private async load(siteId: string): Promise<void> {
    this.siteSelect.value = siteId;
    this.clearErrors();
    try {
      this.current = await this.api.site(siteId);
    } catch (error) {
      this.showStatus(`Could not load the settings: ${describeError(error)}`, true);
      return;
    }
    this.fill(this.current);
    this.showStatus('', false);
  }

  private fill(site: Site): void {
    for (const group of FIELDS) {
      for (const spec of group.fields) {
        const control = this.controls.get(spec.path);
        const value = spec.get(site);
        if (!control) continue;
        if (spec.kind === 'checkbox') (control as HTMLInputElement).checked = Boolean(value);
        else if (spec.kind === 'lines')
          control.value = ((value as string[] | undefined) ?? []).join('\n');
        else
          control.value =
            typeof value === 'number' || typeof value === 'string' ? String(value) : '';
      }
    }
  }

  private collect(): { name: string; allowedOrigins: string[]; settings: SiteSettings } {
    const body: Record<string, unknown> = {};
    for (const group of FIELDS) {
      for (const spec of group.fields) {
        const control = this.controls.get(spec.path);
        if (!control) continue;
        let value: unknown;
        if (spec.kind === 'checkbox') value = (control as HTMLInputElement).checked;
        else if (spec.kind === 'lines')
          value = control.value
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean);
        else if (spec.kind === 'text' || spec.kind === 'select') value = control.value;
        else if (spec.kind === 'nullable-integer')
          value = control.value.trim() === '' ? null : parseNumber(control.value);
        else value = parseNumber(control.value);
        if (value !== undefined) setPath(body, spec.path, value);
      }
    }
    return body as unknown as { name: string; allowedOrigins: string[]; settings: SiteSettings };
  }

  private async save(): Promise<void> {
    if (!this.current) return;
    this.clearErrors();
    const siteId = this.current.id;
    this.showStatus('Saving…', false);
    try {
      this.current = await this.api.putSite(siteId, this.collect());
      this.fill(this.current);
      this.showStatus('Settings saved.', false);
      this.announce(`Settings of ${siteId} saved.`);
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors?.length) {
        this.showErrors(error.problem.errors);
        this.showStatus('Not saved: correct the fields marked in red.', true);
      } else {
        this.showStatus(`Not saved: ${describeError(error)}`, true);
      }
    }
  }

  private showStatus(text: string, isError: boolean): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', isError);
  }

  private clearErrors(): void {
    this.summary.hidden = true;
    replaceChildren(this.summary);
    for (const control of this.controls.values()) {
      control.removeAttribute('aria-invalid');
      const error = document.getElementById(`${control.id}-error`);
      if (error) error.textContent = '';
    }
  }

  private showErrors(errors: FieldError[]): void {
    const items: HTMLElement[] = [];
    let first: HTMLElement | null = null;
    for (const e of errors) {
      // The deepest known field the error names (e.g. settings.moderation.holdWords.3 → holdWords).
      let path = e.field;
      while (path && !this.controls.has(path))
        path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
      const control = path ? this.controls.get(path) : undefined;
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        const slot = document.getElementById(`${control.id}-error`);
        if (slot)
          slot.textContent = slot.textContent ? `${slot.textContent} ${e.message}` : e.message;
        first ??= control;
        items.push(
          h(
            'li',
            {},
            h(
              'a',
              {
                attrs: { href: `#${control.id}` },
                on: {
                  click: (ev) => {
                    ev.preventDefault();
                    control.focus();
                  },
                },
              },
              e.message,
            ),
          ),
        );
      } else {
        items.push(h('li', {}, `${e.field}: ${e.message}`));
      }
    }
    replaceChildren(
      this.summary,
      h('h3', {}, 'The settings were not saved'),
      h('ul', {}, ...items),
    );
    this.summary.hidden = false;
    this.summary.setAttribute('role', 'alert');
    (first ?? this.summary).focus();
  }
}
