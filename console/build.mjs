#!/usr/bin/env node
// Builds the moderator console: console/src/index.ts -> console/dist/app.js (one minified IIFE,
// no framework) and console/src/styles.css -> console/dist/app.css. Type-checks first with
// console/tsconfig.json (DOM lib) unless --no-typecheck. Outputs are written to temporary files
// and renamed, so a server or test reading them never sees half a file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const quiet = process.argv.includes('--quiet');

if (!process.argv.includes('--no-typecheck')) {
  const require = createRequire(import.meta.url);
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(here, 'tsconfig.json')], {
    stdio: 'inherit',
  });
}

const common = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  write: false,
  logLevel: 'warning',
};
const [script, styles] = await Promise.all([
  build({
    ...common,
    entryPoints: [join(here, 'src', 'index.ts')],
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    banner: { js: '/* moderator console */' },
  }),
  build({ ...common, entryPoints: [join(here, 'src', 'styles.css')], target: 'chrome100' }),
]);

mkdirSync(dist, { recursive: true });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const [name, result] of [
  ['app.js', script],
  ['app.css', styles],
]) {
  const code = result.outputFiles[0].contents;
  const out = join(dist, name);
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, out);
  if (!quiet) {
    process.stdout.write(
      `console/dist/${name}: ${kb(code.length)} (${kb(gzipSync(code, { level: 9 }).length)} gzipped)\n`,
    );
  }
}
