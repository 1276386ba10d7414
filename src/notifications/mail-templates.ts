/**
 * The mails, as plain text and HTML. Every value from readers is escaped in the HTML; the
 * plain-text part carries the same content. User-facing strings are grouped here.
 */

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function layout(title: string, body: string, footer = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1d2329;max-width:36rem;margin:0 auto;padding:1rem">
${body}
${footer ? `<hr style="border:0;border-top:1px solid #d9dee3"><p style="font-size:.85em;color:#5b6470">${footer}</p>` : ''}
</body></html>`;
}

function quote(text: string): { text: string; html: string } {
  const short = text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  return {
    text: short
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n'),
    html: `<blockquote style="margin:0;padding:.5rem 1rem;border-left:3px solid #d9dee3;white-space:pre-wrap">${escapeHtml(short)}</blockquote>`,
  };
}

export function confirmationMail(p: { siteName: string; confirmUrl: string }): RenderedMail {
  const subject = `Confirm reply notifications from ${p.siteName}`;
  const text = [
    `Someone (hopefully you) asked to be told by email about replies to a comment on ${p.siteName}.`,
    '',
    `To confirm, open this link and press the button: ${p.confirmUrl}`,
    '',
    'If it was not you, ignore this mail: nothing will be sent unless you confirm.',
  ].join('\n');
  const html = layout(
    subject,
    `<p>Someone (hopefully you) asked to be told by email about replies to a comment on ${escapeHtml(p.siteName)}.</p>
<p><a href="${escapeHtml(p.confirmUrl)}">Confirm reply notifications</a></p>
<p>If it was not you, ignore this mail: nothing will be sent unless you confirm.</p>`,
  );
  return { subject, text, html };
}

export interface ReplyForMail {
  authorName: string;
  body: string;
  url: string | null;
}

export function replyMail(p: {
  siteName: string;
  replies: ReplyForMail[];
  unsubscribeUrl: string;
}): RenderedMail {
  const first = p.replies[0];
  const subject =
    p.replies.length === 1
      ? `${first.authorName} replied to your comment on ${p.siteName}`
      : `${p.replies.length} new replies to your comments on ${p.siteName}`;
  const text = [
    ...p.replies.flatMap((r) => [
      `${r.authorName} replied:`,
      '',
      quote(r.body).text,
      '',
      ...(r.url ? [`Read it and answer: ${r.url}`, ''] : []),
    ]),
    `Stop these mails: ${p.unsubscribeUrl}`,
  ].join('\n');
  const html = layout(
    subject,
    p.replies
      .map(
        (r) => `<p><strong>${escapeHtml(r.authorName)}</strong> replied:</p>${quote(r.body).html}
${r.url ? `<p><a href="${escapeHtml(r.url)}">Read it and answer</a></p>` : ''}`,
      )
      .join('\n'),
    `You get this mail because you asked for replies to your comment. <a href="${escapeHtml(p.unsubscribeUrl)}">Stop these mails</a>.`,
  );
  return { subject, text, html };
}

export interface HeldForMail {
  authorName: string | null;
  articleId: string;
  body: string;
}

export function digestMail(p: {
  siteName: string;
  held: HeldForMail[];
  more: boolean;
  consoleUrl: string;
}): RenderedMail {
  const n = p.held.length;
  const subject = `${n}${p.more ? '+' : ''} comment${n === 1 ? '' : 's'} waiting for moderation on ${p.siteName}`;
  const excerpt = (body: string) => (body.length > 200 ? `${body.slice(0, 200)}…` : body);
  const text = [
    `Newly held on ${p.siteName}:`,
    '',
    ...p.held.map(
      (c) =>
        `- ${c.authorName ?? '(no name)'} on ${c.articleId}: ${excerpt(c.body).replace(/\s+/g, ' ')}`,
    ),
    ...(p.more ? ['- … and more'] : []),
    '',
    `Moderate them: ${p.consoleUrl}`,
  ].join('\n');
  const html = layout(
    subject,
    `<p>Newly held on ${escapeHtml(p.siteName)}:</p><ul>${p.held
      .map(
        (c) =>
          `<li><strong>${escapeHtml(c.authorName ?? '(no name)')}</strong> on ${escapeHtml(c.articleId)}: ${escapeHtml(excerpt(c.body))}</li>`,
      )
      .join('')}${p.more ? '<li>… and more</li>' : ''}</ul>
<p><a href="${escapeHtml(p.consoleUrl)}">Open the moderation console</a></p>`,
  );
  return { subject, text, html };
}
