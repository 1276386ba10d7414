import { h } from './dom.js';

/** Reasons offered when rejecting (free text is accepted too). */
export const COMMON_REASONS = [
  'Off topic',
  'Personal attack',
  'Abusive or hateful',
  'Spam or advertising',
  'Misinformation',
  'Duplicate',
];

let reasonDialog: HTMLDialogElement | null = null;

/**
 * Asks for an optional reason in a modal dialog (focus moves into it and back afterwards).
 * Resolves to the reason ('' for none), or null when cancelled.
 */
export function askReason(title: string, confirmLabel: string): Promise<string | null> {
  reasonDialog?.remove();
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const input = h('input', {
    attrs: {
      id: 'reason-input',
      name: 'reason',
      type: 'text',
      list: 'reason-options',
      maxlength: 1000,
      autocomplete: 'off',
      'aria-describedby': 'reason-hint',
    },
  });
  const options = h('datalist', { attrs: { id: 'reason-options' } });
  for (const reason of COMMON_REASONS) options.append(h('option', { attrs: { value: reason } }));
  const dialog = h(
    'dialog',
    { class: 'dialog', attrs: { 'aria-labelledby': 'reason-title' } },
    h(
      'form',
      { attrs: { method: 'dialog' } },
      h('h2', { attrs: { id: 'reason-title' } }, title),
      h('label', { attrs: { for: 'reason-input' } }, 'Reason'),
      input,
      options,
      h(
        'p',
        { class: 'hint', attrs: { id: 'reason-hint' } },
        'Optional. Recorded in the comment’s history; never shown to the author.',
      ),
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { class: 'btn danger', attrs: { type: 'submit', value: 'ok' } }, confirmLabel),
        h('button', { class: 'btn', attrs: { type: 'submit', value: 'cancel' } }, 'Cancel'),
      ),
    ),
  );
  reasonDialog = dialog;
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'ok';
      dialog.remove();
      if (reasonDialog === dialog) reasonDialog = null;
      previous?.focus();
      resolve(ok ? input.value.trim() : null);
    });
    dialog.showModal();
    input.focus();
  });
}

export const SHORTCUTS: [string, string][] = [
  ['j', 'Next comment'],
  ['k', 'Previous comment'],
  ['a', 'Approve'],
  ['r', 'Reject (asks for a reason)'],
  ['s', 'Mark as spam'],
  ['f', 'Feature or unfeature an approved comment (shown first to readers)'],
  ['x', 'Select or unselect'],
  ['u', 'Undo the last decision (while it is still pending)'],
  ['?', 'This help'],
];

export function showHelp(undoSeconds: number): void {
  if (document.getElementById('help-dialog')) return;
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const close = h('button', { class: 'btn', attrs: { type: 'submit' } }, 'Close');
  const rows = SHORTCUTS.map(([key, what]) =>
    h('tr', {}, h('th', {}, h('kbd', {}, key)), h('td', {}, what)),
  );
  const dialog = h(
    'dialog',
    { class: 'dialog', attrs: { id: 'help-dialog', 'aria-labelledby': 'help-title' } },
    h(
      'form',
      { attrs: { method: 'dialog' } },
      h('h2', { attrs: { id: 'help-title' } }, 'Keyboard shortcuts'),
      h(
        'table',
        { class: 'shortcuts' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { attrs: { scope: 'col' } }, 'Key'),
            h('th', { attrs: { scope: 'col' } }, 'Does'),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
      h(
        'p',
        {},
        `Decisions are sent after ${undoSeconds} seconds; until then “Undo” (or u) takes them back and nothing reaches readers.`,
      ),
      h('div', { class: 'dialog-actions' }, close),
    ),
  );
  document.body.append(dialog);
  dialog.addEventListener('close', () => {
    dialog.remove();
    previous?.focus();
  });
  dialog.showModal();
  close.focus();
}

export function dialogOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}
