/**
 * The console's HTML shell: no inline script (CSP script-src 'self'), no form (the sign-in form
 * is built by the script, so without it no token can end up in a URL), asset URLs versioned by
 * content hash.
 */
export function consolePage(versions: { script: string; styles: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>Moderation</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/moderate/app.css?v=${versions.styles}">
<script src="/moderate/app.js?v=${versions.script}" defer></script>
</head>
<body>
<div id="app" data-poll-ms="10000" data-undo-ms="5000">
<noscript><p>The moderator console needs JavaScript.</p></noscript>
</div>
</body>
</html>
`;
}
