/**
 * The widget's styles, placed in its shadow root. `:host { all: initial }` cuts off what the
 * host page's styles would otherwise pass down (colour, font, line height…); publishers theme
 * the widget only through these custom properties, set on the container element:
 *
 *   --cw-font, --cw-font-size, --cw-text, --cw-muted, --cw-bg, --cw-surface, --cw-border,
 *   --cw-accent, --cw-accent-text, --cw-error, --cw-pending, --cw-radius, --cw-focus,
 *   --cw-padding, and for the dark theme --cw-dark-text, --cw-dark-muted, --cw-dark-bg,
 *   --cw-dark-surface, --cw-dark-border, --cw-dark-accent, --cw-dark-accent-text,
 *   --cw-dark-error, --cw-dark-pending
 *
 * Themes (`data-theme` on the container): `light`, `dark`, or `auto` (the default), which
 * follows the reader's `prefers-color-scheme`. The widget paints its own background in every
 * theme, so its text stays readable whatever the page behind it; the defaults meet WCAG AA
 * contrast (checked with axe in the browser tests).
 */
const LIGHT =
  '--_text:var(--cw-text,#1d2329);--_muted:var(--cw-muted,#5b6470);--_bg:var(--cw-bg,#fff);--_surface:var(--cw-surface,transparent);--_border:var(--cw-border,#d9dee3);--_field:var(--cw-border,#8b95a1);--_accent:var(--cw-accent,#1a5fb4);--_accent-text:var(--cw-accent-text,#fff);--_error:var(--cw-error,#b42318);--_pending:var(--cw-pending,#8a5a12);--_badge:#fff4d6;--_badge-text:#6b4500;color-scheme:light';
const DARK =
  '--_text:var(--cw-dark-text,#e7eaee);--_muted:var(--cw-dark-muted,#a9b3be);--_bg:var(--cw-dark-bg,#15181c);--_surface:var(--cw-dark-surface,transparent);--_border:var(--cw-dark-border,#3a424c);--_field:var(--cw-dark-border,#6b7683);--_accent:var(--cw-dark-accent,#8ab4f8);--_accent-text:var(--cw-dark-accent-text,#0b1320);--_error:var(--cw-dark-error,#ff9b8f);--_pending:var(--cw-dark-pending,#f2b860);--_badge:#3d3000;--_badge-text:#ffe08a;color-scheme:dark';

export const STYLES = `
:host{all:initial;display:block;${LIGHT};font-family:var(--cw-font,system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif);font-size:var(--cw-font-size,16px);line-height:1.55;color:var(--_text);background:var(--_bg);padding:var(--cw-padding,1em);border-radius:var(--cw-radius,6px);text-align:start;overflow-wrap:anywhere}
:host([data-theme=dark]){${DARK}}
@media (prefers-color-scheme:dark){:host(:not([data-theme=light])){${DARK}}}
:host([hidden]){display:none}
*,*::before,*::after{box-sizing:border-box}
.root{display:block}
h2,h3{font-weight:700;line-height:1.25;margin:0 0 .75em}
h2{font-size:1.4em}
h3{font-size:1.2em}
a{color:var(--_accent)}
button{font:inherit;cursor:pointer}
:focus-visible{outline:3px solid var(--cw-focus,#f5b700);outline-offset:2px}
.status:empty{display:none}
.status{margin:0 0 1em;color:var(--_muted)}
.status.bad{color:var(--_error)}
ol{list-style:none;margin:0;padding:0}
.children{margin-inline-start:clamp(.75em,4vw,2.5em);border-inline-start:2px solid var(--_border);padding-inline-start:clamp(.5em,2vw,1em)}
.item{margin:0 0 1em}
.comment{background:var(--_surface);border-radius:var(--cw-radius,6px);padding:.25em 0}
.meta{display:flex;flex-wrap:wrap;align-items:center;gap:.25em .6em;margin-bottom:.35em}
.avatar{--cw-hue:210;flex:none;display:inline-grid;place-items:center;width:2.1em;height:2.1em;border-radius:50%;background:hsl(var(--cw-hue) 45% 30%);color:#fff;font-weight:700;font-size:.95em}
.author{font-weight:700}
.author a{text-decoration:none}
.author a:hover{text-decoration:underline}
time{color:var(--_muted);font-size:.875em}
.badge{font-size:.8em;font-weight:700;padding:.05em .5em;border-radius:1em;background:var(--_badge);color:var(--_badge-text)}
.featured{margin:0 0 1.5em;padding:.75em 1em .25em;border:2px solid var(--_border);border-radius:var(--cw-radius,6px)}
.featured h3{font-size:1em;text-transform:uppercase;letter-spacing:.04em;color:var(--_muted)}
.sorts{display:flex;flex-wrap:wrap;gap:.4em;margin:0 0 1em}
.sort{background:transparent;color:var(--_text);border:1px solid var(--_field);border-radius:1em;padding:.2em .9em;font-size:.9em}
.sort[aria-pressed=true]{background:var(--_accent);border-color:var(--_accent);color:var(--_accent-text);font-weight:700}
.body>:first-child{margin-top:0}
.body>:last-child{margin-bottom:0}
.body p,.body ul,.body ol,.body pre,.body blockquote{margin:0 0 .6em}
.body ul,.body ol{padding-inline-start:1.5em}
.body ul{list-style:disc}
.body ol{list-style:decimal}
.body blockquote{border-inline-start:3px solid var(--_border);padding-inline-start:.75em;color:var(--_muted)}
.body code,.body pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.body pre{white-space:pre-wrap;background:rgba(127,127,127,.12);padding:.5em;border-radius:4px}
.removed{font-style:italic;color:var(--_muted)}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:.4em 1em;margin-top:.25em}
.link{background:none;border:0;padding:0;color:var(--_accent);text-decoration:underline;font-size:.9em}
.like{text-decoration:none}
.like[aria-pressed=true]{font-weight:700}
.like[aria-pressed=true] span{color:var(--_error)}
.likes{color:var(--_muted);font-size:.875em}
.closed [data-reply]{display:none}
p.closed{margin:1.5em 0 0;padding-top:1em;border-top:1px solid var(--_border);color:var(--_muted);font-weight:600}
.pending .comment{border:1px dashed var(--_pending);padding:.6em .75em}
.notice{margin:.35em 0 0;font-style:italic;color:var(--_pending);font-size:.9em}
.preview{white-space:pre-wrap}
.more{margin:0 0 1.5em}
.button{border:0;border-radius:var(--cw-radius,6px);background:var(--_accent);color:var(--_accent-text);padding:.6em 1.2em;font-weight:700}
.button[disabled]{opacity:.6;cursor:not-allowed}
.secondary{background:transparent;color:var(--_accent);border:1px solid currentColor}
form{margin:1.5em 0 0;padding-top:1em;border-top:1px solid var(--_border)}
.item form{margin:.75em 0 1em;border-top:0;padding-top:0}
.title{display:flex;flex-wrap:wrap;align-items:baseline;gap:.5em}
.title h3{margin:0}
.note{margin:.5em 0 1em;color:var(--_muted);font-size:.9em}
.field{margin:0 0 .9em}
label{display:block;font-weight:600;margin-bottom:.25em}
.req{color:var(--_error)}
.notify input{display:inline-block;width:auto;margin:0 .4em 0 0;vertical-align:middle}
.notify label{display:inline;font-weight:400}
.notify .note{margin:.25em 0 0}
input,textarea{display:block;width:100%;max-width:100%;font:inherit;color:inherit;background:var(--_bg);border:1px solid var(--_field);border-radius:var(--cw-radius,6px);padding:.5em .6em}
textarea{min-height:8em;resize:vertical}
[aria-invalid=true]{border-color:var(--_error)}
.error{margin:.25em 0 0;color:var(--_error);font-size:.9em}
.error:empty{display:none}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.form-status{margin:.75em 0 0}
.form-status:empty{display:none}
.form-status.bad{color:var(--_error)}
[hidden]{display:none!important}
`;
