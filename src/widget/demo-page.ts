/**
 * A sample article page with the widget under it: for publishers to try the service and for
 * the browser tests. The article is fictional. No inline script (the CSP allows scripts from
 * 'self' only); the page's own styles are inline, which the CSP allows.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

export function demoPage({
  siteId,
  articleId,
  lang,
  theme,
}: {
  siteId: string;
  articleId: string;
  /** The widget's `data-lang` and `data-theme`, when the page's address asks for them. */
  lang?: string;
  theme?: string;
}): string {
  const site = escapeHtml(siteId);
  const article = escapeHtml(articleId);
  const extra =
    (lang ? ` data-lang="${escapeHtml(lang)}"` : '') +
    (theme ? ` data-theme="${escapeHtml(theme)}"` : '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kellwick's harbour ferry sails again after forty years · The Estuary Gazette (demo)</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
  body { margin: 0; background: #faf8f4; color: #222; font: 18px/1.6 Georgia, 'Times New Roman', serif; }
  .masthead { border-bottom: 3px double #333; padding: 14px 20px; font: 700 26px/1 Georgia, serif; letter-spacing: .02em; }
  .demo-note { background: #fff4d6; border-bottom: 1px solid #e8d9a8; padding: 8px 20px; font: 14px/1.4 system-ui, sans-serif; }
  main { max-width: 44rem; margin: 0 auto; padding: 24px 20px 64px; }
  h1 { font-size: 2.1em; line-height: 1.15; margin: .2em 0 .3em; }
  .standfirst { font-size: 1.15em; color: #444; margin: 0 0 .8em; }
  .byline { font: 14px/1.4 system-ui, sans-serif; color: #666; margin-bottom: 1.6em; }
  .comments { margin-top: 3em; padding-top: 1em; border-top: 1px solid #ccc; }
</style>
</head>
<body>
<header>
<div class="masthead">The Estuary Gazette</div>
<p class="demo-note">This is a demonstration page of the comments service: the article and the newspaper are fictional. Comments posted here are real and go through moderation.</p>
</header>
<main>
<article>
<h1>Kellwick's harbour ferry sails again after forty years</h1>
<p class="standfirst">Volunteers spent six winters restoring the wooden ferry <i>Marigold</i>. From Saturday she carries passengers across the estuary twice an hour.</p>
<p class="byline">By Nora Penhallow, coast and country desk</p>
<p>When the <i>Marigold</i> last crossed the Kell estuary, a ticket cost four pence and the timetable was chalked on a board outside the harbour master's hut. On Saturday morning the little wooden ferry makes the same eight-minute crossing again, this time with a card reader screwed to the wheelhouse door.</p>
<p>The revival is the work of the Kellwick Ferry Trust, some thirty volunteers who bought the hull for one pound from a boatyard that was about to break it up. Over six winters they replaced most of the planking, rebuilt the engine from parts found as far away as Rotterdam, and taught themselves to caulk seams the old way, with oakum and pitch.</p>
<p>"Half of us had never held an adze," said the trust's chair, Idris Moyle, a retired geography teacher. "The other half had, and they were very patient with the first half."</p>
<p>The ferry will run every thirty minutes between the town quay and the hamlet of Saltings from April to October, weather permitting. The trust hopes it will take some traffic off the single-track coast road in summer, and says any surplus from fares will go towards a second boat.</p>
<p>Not everyone is convinced. Some Saltings residents worry about parking near the landing stage, and the parish council has asked for a review after the first season. Mr Moyle says the trust will publish passenger numbers every month. "If people don't use it, we'll know soon enough. But I think they will."</p>
</article>
<section class="comments" aria-label="Comments">
<div data-comments data-site="${site}" data-article="${article}"${extra}></div>
</section>
</main>
<script src="/widget.js" defer></script>
</body>
</html>
`;
}
