import { ConsoleApp } from './app.js';

/**
 * The moderator console, served at /moderate. Optional settings on the page's query string (or
 * `data-poll-ms` / `data-undo-ms` on #app): `poll` — how often to refresh when there is no live
 * stream (ms, default 10000); `undo` — how long a decision waits for Undo (ms, default 5000).
 */
function setting(
  name: string,
  dataName: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const fromQuery = new URLSearchParams(location.search).get(name);
  const fromData = document.getElementById('app')?.dataset[dataName];
  const raw = fromQuery ?? fromData;
  const n = raw === undefined || raw === null || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

function boot(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const app = new ConsoleApp(root, {
    pollMs: setting('poll', 'pollMs', 10_000, 200, 600_000),
    undoMs: setting('undo', 'undoMs', 5_000, 0, 30_000),
  });
  app.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
