/**
 * The widget's styles, placed in its shadow root. `:host { all: initial }` cuts off what the
 * host page's styles would otherwise pass down (colour, font, line height…); publishers theme
 * the widget only through these custom properties, set on the container element:
 *
 *   --cw-font, --cw-font-size, --cw-text, --cw-muted, --cw-bg, --cw-surface, --cw-border,
 *   --cw-accent, --cw-accent-text, --cw-error, --cw-pending, --cw-radius, --cw-focus
 */
export const STYLES = `
:host{all:initial;display:block;font-family:var(--cw-font,system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif);font-size:var(--cw-font-size,16px);line-height:1.55;color:var(--cw-text,#1d2329);background:var(--cw-bg,transparent);text-align:left;overflow-wrap:anywhere}
:host([hidden]){display:none}
*,*::before,*::after{box-sizing:border-box}
.root{display:block}
h2,h3{font-weight:700;line-height:1.25;margin:0 0 .75em}
h2{font-size:1.4em}
h3{font-size:1.2em}
a{color:var(--cw-accent,#1a5fb4)}
button{font:inherit;cursor:pointer}
:focus-visible{outline:3px solid var(--cw-focus,#f5b700);outline-offset:2px}
.sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.status:empty{display:none}
.status{margin:0 0 1em;color:var(--cw-muted,#5b6470)}
ol{list-style:none;margin:0;padding:0}
.children{margin-left:clamp(.75em,4vw,2.5em);border-left:2px solid var(--cw-border,#d9dee3);padding-left:clamp(.5em,2vw,1em)}
.item{margin:0 0 1em}
.comment{background:var(--cw-surface,transparent);border-radius:var(--cw-radius,6px);padding:.25em 0}
.meta{display:flex;flex-wrap:wrap;align-items:center;gap:.25em .6em;margin-bottom:.35em}
.avatar{--cw-hue:210;flex:none;display:inline-grid;place-items:center;width:2.1em;height:2.1em;border-radius:50%;background:hsl(var(--cw-hue) 45% 42%);color:#fff;font-weight:700;font-size:.95em}
.author{font-weight:700}
.author a{text-decoration:none}
.author a:hover{text-decoration:underline}
time{color:var(--cw-muted,#5b6470);font-size:.875em}
.body>:first-child{margin-top:0}
.body>:last-child{margin-bottom:0}
.body p,.body ul,.body ol,.body pre,.body blockquote{margin:0 0 .6em}
.body ul,.body ol{padding-left:1.5em}
.body ul{list-style:disc}
.body ol{list-style:decimal}
.body blockquote{border-left:3px solid var(--cw-border,#d9dee3);padding-left:.75em;color:var(--cw-muted,#5b6470)}
.body code,.body pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.body pre{white-space:pre-wrap;background:rgba(127,127,127,.12);padding:.5em;border-radius:4px}
.removed{font-style:italic;color:var(--cw-muted,#5b6470)}
.actions{margin-top:.25em}
.link{background:none;border:0;padding:0;color:var(--cw-accent,#1a5fb4);text-decoration:underline;font-size:.9em}
.pending .comment{border:1px dashed var(--cw-pending,#b7791f);padding:.6em .75em}
.notice{margin:.35em 0 0;font-style:italic;color:var(--cw-pending,#8a5a12);font-size:.9em}
.preview{white-space:pre-wrap}
.more{margin:0 0 1.5em}
.button{border:0;border-radius:var(--cw-radius,6px);background:var(--cw-accent,#1a5fb4);color:var(--cw-accent-text,#fff);padding:.6em 1.2em;font-weight:700}
.button[disabled]{opacity:.6;cursor:not-allowed}
.secondary{background:transparent;color:var(--cw-accent,#1a5fb4);border:1px solid currentColor}
form{margin:1.5em 0 0;padding-top:1em;border-top:1px solid var(--cw-border,#d9dee3)}
.item form{margin:.75em 0 1em;border-top:0;padding-top:0}
.title{display:flex;flex-wrap:wrap;align-items:baseline;gap:.5em}
.title h3{margin:0}
.note{margin:.5em 0 1em;color:var(--cw-muted,#5b6470);font-size:.9em}
.field{margin:0 0 .9em}
label{display:block;font-weight:600;margin-bottom:.25em}
.req{color:var(--cw-error,#b42318)}
.notify input{display:inline-block;width:auto;margin:0 .4em 0 0;vertical-align:middle}
.notify label{display:inline;font-weight:400}
.notify .note{margin:.25em 0 0}
input,textarea{display:block;width:100%;max-width:100%;font:inherit;color:inherit;background:var(--cw-bg,#fff);border:1px solid var(--cw-border,#aab4be);border-radius:var(--cw-radius,6px);padding:.5em .6em}
textarea{min-height:8em;resize:vertical}
[aria-invalid=true]{border-color:var(--cw-error,#b42318)}
.error{margin:.25em 0 0;color:var(--cw-error,#b42318);font-size:.9em}
.error:empty{display:none}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.form-status{margin:.75em 0 0}
.form-status:empty{display:none}
.form-status.bad{color:var(--cw-error,#b42318)}
`;
