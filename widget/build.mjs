#!/usr/bin/env node
// Builds the embeddable widget: widget/src/index.ts -> widget/dist/widget.js (one minified IIFE,
// no framework). Type-checks first with widget/tsconfig.json (DOM lib) unless --no-typecheck.
// The output is written to a temporary file and renamed, so a server or test reading it never
// sees half a file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outFile = join(here, 'dist', 'widget.js');
const quiet = process.argv.includes('--quiet');

if (!process.argv.includes('--no-typecheck')) {
  const require = createRequire(import.meta.url);
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(here, 'tsconfig.json')], {
    stdio: 'inherit',
  });
}

const result = await build({
  entryPoints: [join(here, 'src', 'index.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  platform: 'browser',
  legalComments: 'none',
  charset: 'utf8',
  write: false,
  logLevel: 'warning',
  banner: { js: '/* comments widget */' },
});

const code = result.outputFiles[0].contents;
mkdirSync(dirname(outFile), { recursive: true });
const tmp = `${outFile}.${process.pid}.tmp`;
writeFileSync(tmp, code);
renameSync(tmp, outFile);
if (!quiet) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  process.stdout.write(
    `widget/dist/widget.js: ${kb(code.length)} (${kb(gzipSync(code, { level: 9 }).length)} gzipped)\n`,
  );
}
