import { escapeHtml } from './mail-templates.js';

/** The small pages behind the links in mail (no script: a form and a button). */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1d2329;line-height:1.5}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#1a5fb4;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #f5b700;outline-offset:2px}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

/** GET of the confirmation link: mail scanners follow links, so only the button confirms. */
export function confirmPage(token: string): string {
  return page(
    'Confirm reply notifications',
    `<p>Press the button to receive an email when someone replies to your comment.</p>
<form method="post" action="/v1/subscriptions/confirm">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">Confirm</button></form>`,
  );
}

export function confirmedPage(): string {
  return page(
    'Confirmed',
    '<p>Thank you. You will receive an email when someone replies to your comment. Every mail has a link to stop them.</p>',
  );
}

export function unsubscribePage(token: string): string {
  return page(
    'Stop reply notifications',
    `<p>Press the button and no more reply notifications from this site will be sent to you.</p>
<form method="post" action="/v1/subscriptions/unsubscribe?token=${escapeHtml(encodeURIComponent(token))}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form>`,
  );
}

export function unsubscribedPage(): string {
  return page(
    'Unsubscribed',
    '<p>Done: you will receive no more reply notifications from this site.</p>',
  );
}
