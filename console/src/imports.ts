import { describeError, type Api, type Site } from './api.js';
import { h, replaceChildren } from './dom.js';

/**
 * Import an export file (admins): WordPress WXR, Disqus XML or this service's JSONL. The file is
 * uploaded as it is (`POST /v1/admin/imports`, with upload progress), the worker role imports
 * it, and this view follows the import (`GET /v1/admin/imports/{id}`) until its summary.
 */
export interface ImportJob {
  id: string;
  siteId: string;
  format: string;
  status: 'uploading' | 'queued' | 'running' | 'completed' | 'failed';
  bytes: number;
  progress: Partial<
    Record<'read' | 'imported' | 'skipped' | 'duplicates' | 'errors' | 'ratePerSecond', number>
  >;
  summary: {
    imported: number;
    skipped: number;
    duplicates: number;
    errors: Array<{ line?: number; message: string }>;
  } | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const FORMATS: Array<[string, string]> = [
  ['wxr', 'WordPress (Tools → Export, WXR)'],
  ['disqus', 'Disqus (Admin → Export, XML)'],
  ['jsonl', 'This service (npm run export, JSONL)'],
];
const POLL_MS = 1000;
const SHOWN_ERRORS = 50;

export class ImportView {
  readonly root: HTMLElement;
  private readonly siteSelect: HTMLSelectElement;
  private readonly formatSelect: HTMLSelectElement;
  private readonly fileInput: HTMLInputElement;
  private readonly submit: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly meter: HTMLProgressElement;
  private readonly result: HTMLElement;
  private readonly history: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly api: Api,
    private readonly announce: (message: string) => void,
  ) {
    this.siteSelect = h('select', { attrs: { id: 'import-site', name: 'siteId' } });
    this.formatSelect = h(
      'select',
      { attrs: { id: 'import-format', name: 'format' } },
      ...FORMATS.map(([value, label]) => h('option', { attrs: { value } }, label)),
    );
    this.fileInput = h('input', {
      attrs: {
        id: 'import-file',
        name: 'file',
        type: 'file',
        accept: '.xml,.wxr,.jsonl,.ndjson,.json,application/xml,text/xml',
        'aria-describedby': 'import-file-hint',
      },
    });
    this.submit = h('button', { class: 'btn primary', attrs: { type: 'submit' } }, 'Import');
    this.status = h('p', { class: 'save-status', attrs: { role: 'status', id: 'import-status' } });
    this.meter = h('progress', { attrs: { max: 1, value: 0, 'aria-labelledby': 'import-status' } });
    this.meter.hidden = true;
    this.result = h('div', { class: 'import-result', attrs: { 'aria-live': 'polite' } });
    this.history = h('div', { class: 'import-history' });
    const form = h(
      'form',
      {
        class: 'settings-form',
        attrs: { novalidate: true, 'aria-labelledby': 'imports-heading' },
        on: {
          submit: (e) => {
            e.preventDefault();
            void this.upload();
          },
        },
      },
      h(
        'fieldset',
        {},
        h('legend', {}, 'Import an export file'),
        h(
          'div',
          { class: 'field' },
          h('label', { attrs: { for: 'import-site' } }, 'Into site'),
          this.siteSelect,
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { attrs: { for: 'import-format' } }, 'Format'),
          this.formatSelect,
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { attrs: { for: 'import-file' } }, 'File'),
          this.fileInput,
          h(
            'p',
            { class: 'hint', attrs: { id: 'import-file-hint' } },
            'Imported comments keep their threads, dates and statuses; importing the same file ' +
              'again adds nothing. No events, webhooks or mail are sent for them.',
          ),
        ),
      ),
      h('div', { class: 'form-actions' }, this.submit, this.meter, this.status),
    );
    this.root = h(
      'section',
      { class: 'settings imports', attrs: { 'aria-labelledby': 'imports-heading' } },
      h('h2', { attrs: { id: 'imports-heading', tabindex: -1 } }, 'Import comments'),
      form,
      this.result,
      h('h3', {}, 'Recent imports'),
      this.history,
    );
  }

  async open(preferredSite: string): Promise<void> {
    let sites: Site[] = [];
    try {
      sites = (await this.api.sites()).items;
    } catch (error) {
      this.show(`Could not load the sites: ${describeError(error)}`, true);
    }
    replaceChildren(
      this.siteSelect,
      ...sites.map((s) => h('option', { attrs: { value: s.id } }, `${s.name} (${s.id})`)),
    );
    if (sites.some((s) => s.id === preferredSite)) this.siteSelect.value = preferredSite;
    await this.refreshHistory();
  }

  focusHeading(): void {
    this.root.querySelector<HTMLElement>('#imports-heading')?.focus();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private show(message: string, error = false): void {
    this.status.textContent = message;
    this.status.classList.toggle('error', error);
  }

  private async upload(): Promise<void> {
    const file = this.fileInput.files?.[0];
    if (!file) {
      this.show('Choose the export file first.', true);
      this.fileInput.focus();
      return;
    }
    const siteId = this.siteSelect.value;
    const format = this.formatSelect.value;
    this.submit.disabled = true;
    replaceChildren(this.result);
    this.meter.hidden = false;
    this.meter.value = 0;
    try {
      const job = await this.send(file, siteId, format);
      this.announce(`Uploaded ${file.name}; importing into ${siteId}`);
      this.follow(job);
    } catch (error) {
      this.meter.hidden = true;
      this.show(`Upload failed: ${describeError(error)}`, true);
      this.submit.disabled = false;
    }
  }

  /** XMLHttpRequest rather than fetch: it reports upload progress. */
  private send(file: File, siteId: string, format: string): Promise<ImportJob> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(
        'POST',
        `/v1/admin/imports?siteId=${encodeURIComponent(siteId)}&format=${encodeURIComponent(format)}`,
      );
      for (const [name, value] of Object.entries(
        this.api.headers({ Accept: 'application/json' }),
      )) {
        xhr.setRequestHeader(name, value);
      }
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => {
        if (!e.lengthComputable) return;
        this.meter.value = e.loaded / e.total;
        this.show(`Uploading… ${Math.round((e.loaded / e.total) * 100)} %`);
      };
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        if (xhr.status === 202) resolve(body as ImportJob);
        else {
          const detail =
            (body as { detail?: string; errors?: Array<{ message: string }> } | null) ?? null;
          reject(
            new Error(
              detail?.errors?.map((e) => e.message).join('; ') ??
                detail?.detail ??
                `HTTP ${xhr.status}`,
            ),
          );
        }
      };
      xhr.onerror = () => reject(new Error('the network failed'));
      xhr.send(file);
    });
  }

  private follow(job: ImportJob): void {
    this.render(job);
    if (job.status === 'completed' || job.status === 'failed') {
      this.submit.disabled = false;
      this.meter.hidden = true;
      this.announce(job.status === 'completed' ? 'Import finished' : 'Import failed');
      void this.refreshHistory();
      return;
    }
    this.timer = setTimeout(() => {
      this.api
        .request<ImportJob>('GET', `/v1/admin/imports/${encodeURIComponent(job.id)}`)
        .then((next) => this.follow(next))
        .catch((error: unknown) => {
          this.show(`Lost the import's progress: ${describeError(error)}`, true);
          this.submit.disabled = false;
        });
    }, POLL_MS);
  }

  private render(job: ImportJob): void {
    const p = job.progress;
    if (job.status === 'queued') this.show('Uploaded; waiting for a worker…');
    else if (job.status === 'running') {
      this.meter.removeAttribute('value');
      this.show(
        `Importing… ${p.read ?? 0} read, ${p.imported ?? 0} imported, ` +
          `${p.duplicates ?? 0} duplicates, ${p.skipped ?? 0} skipped (${p.ratePerSecond ?? 0}/s)`,
      );
    } else if (job.status === 'failed') {
      this.show(`Import failed: ${job.error ?? 'unknown error'}`, true);
    } else if (job.summary) {
      const s = job.summary;
      this.show(
        `Done: ${s.imported} imported, ${s.duplicates} duplicates, ${s.skipped} skipped` +
          (s.errors.length ? `, ${s.errors.length} problems` : ''),
      );
      replaceChildren(
        this.result,
        s.errors.length
          ? h(
              'div',
              { class: 'error-summary' },
              h('h3', {}, `Skipped records (${s.errors.length})`),
              h(
                'ul',
                {},
                ...s.errors
                  .slice(0, SHOWN_ERRORS)
                  .map((e) => h('li', {}, e.line ? `Line ${e.line}: ${e.message}` : e.message)),
              ),
              s.errors.length > SHOWN_ERRORS
                ? h('p', {}, `…and ${s.errors.length - SHOWN_ERRORS} more.`)
                : null,
            )
          : null,
      );
    }
  }

  private async refreshHistory(): Promise<void> {
    try {
      const { items } = await this.api.request<{ items: ImportJob[] }>('GET', '/v1/admin/imports');
      replaceChildren(
        this.history,
        items.length === 0
          ? h('p', { class: 'hint' }, 'No imports yet.')
          : h(
              'table',
              { class: 'shortcuts' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', {}, 'When'),
                  h('th', {}, 'Site'),
                  h('th', {}, 'Format'),
                  h('th', {}, 'Status'),
                  h('th', {}, 'Result'),
                ),
              ),
              h(
                'tbody',
                {},
                ...items.map((j) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, new Date(j.createdAt).toLocaleString()),
                    h('td', {}, j.siteId),
                    h('td', {}, j.format),
                    h('td', {}, j.status),
                    h(
                      'td',
                      {},
                      j.summary
                        ? `${j.summary.imported} imported, ${j.summary.duplicates} duplicates, ${j.summary.skipped} skipped`
                        : (j.error ?? ''),
                    ),
                  ),
                ),
              ),
            ),
      );
    } catch (error) {
      replaceChildren(
        this.history,
        h('p', { class: 'hint' }, `Could not list imports: ${describeError(error)}`),
      );
    }
  }
}
