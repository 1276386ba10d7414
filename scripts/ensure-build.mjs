#!/usr/bin/env node
// `npm start` runs this first: builds dist/ when it is missing or older than any source file,
// so a fresh clone starts with `npm ci && npm start`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const marker = join(root, 'dist', 'main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const inputs = [
  join(root, 'src'),
  join(root, 'package.json'),
  join(root, 'tsconfig.json'),
  join(root, 'tsconfig.build.json'),
];
const sourceTime = Math.max(
  ...inputs
    .filter(existsSync)
    .map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)),
);
const buildTime = existsSync(marker) ? statSync(marker).mtimeMs : 0;

if (buildTime < sourceTime) {
  process.stderr.write(
    existsSync(marker) ? 'Sources changed; rebuilding…\n' : 'No build yet; building…\n',
  );
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(root, 'tsconfig.build.json'),
    ],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  // tsc leaves unchanged outputs untouched; mark the build as fresh.
  const now = new Date();
  const { utimesSync } = await import('node:fs');
  utimesSync(marker, now, now);
}

// The embeddable widget (widget/src → widget/dist/widget.js, served at /widget.js).
const widgetBundle = join(root, 'widget', 'dist', 'widget.js');
const widgetTime = Math.max(
  ...[
    join(root, 'widget', 'src'),
    join(root, 'widget', 'build.mjs'),
    join(root, 'widget', 'tsconfig.json'),
  ]
    .filter(existsSync)
    .map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)),
);
if (!existsSync(widgetBundle) || statSync(widgetBundle).mtimeMs < widgetTime) {
  process.stderr.write('Building the widget…\n');
  execFileSync(process.execPath, [join(root, 'widget', 'build.mjs')], {
    stdio: 'inherit',
    cwd: root,
  });
}

// The moderator console (console/src → console/dist/app.js + app.css, served at /moderate).
const consoleBundle = join(root, 'console', 'dist', 'app.js');
const consoleTime = Math.max(
  ...[
    join(root, 'console', 'src'),
    join(root, 'console', 'build.mjs'),
    join(root, 'console', 'tsconfig.json'),
  ]
    .filter(existsSync)
    .map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)),
);
if (
  !existsSync(consoleBundle) ||
  !existsSync(join(root, 'console', 'dist', 'app.css')) ||
  statSync(consoleBundle).mtimeMs < consoleTime
) {
  process.stderr.write('Building the moderator console…\n');
  execFileSync(process.execPath, [join(root, 'console', 'build.mjs')], {
    stdio: 'inherit',
    cwd: root,
  });
}
