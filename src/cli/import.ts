// `npm run import -- --site <siteId> --format wxr|disqus|jsonl [--map urls.csv] <file>`:
// imports a WordPress (WXR), Disqus or JSONL export into a site, in one transaction. Progress
// goes to stderr; the last line on stdout is the summary JSON. Exits 1 when the file cannot be
// parsed (naming the line; nothing is imported), 2 on bad arguments.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { parseArticleMap } from '../imports/article-id.js';
import { ImporterService, type ImportProgress } from '../imports/importer.service.js';
import {
  IMPORT_FORMATS,
  ImportParseError,
  type ImportFormat,
} from '../imports/parsers/source-record.js';
import { cliConfig } from './cli-config.js';
import { cliContext, parseArgs } from './cli-context.js';

const USAGE =
  'usage: npm run import -- --site <siteId> --format wxr|disqus|jsonl [--map urls.csv] <file>';

function progressLine(p: ImportProgress, size: number | null, bytes: number, tty: boolean): string {
  const counts =
    `${p.read} read, ${p.imported} imported, ${p.duplicates} duplicates, ` +
    `${p.skipped} skipped (${p.errors} errors), ${p.ratePerSecond}/s`;
  if (!tty || !size) return `import: ${counts}\n`;
  const width = 24;
  const done = Math.min(width, Math.round((bytes / size) * width));
  const percent = Math.min(100, Math.round((bytes / size) * 100));
  return `\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${percent}% ${counts}\x1b[K`;
}

async function main(): Promise<number> {
  const { options, positional } = parseArgs(process.argv.slice(2));
  const siteId = options.get('site');
  const format = options.get('format') as ImportFormat | undefined;
  const file = positional[0];
  if (!siteId || !format || !IMPORT_FORMATS.includes(format) || !file) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let map: Map<string, string> | undefined;
  if (options.has('map')) {
    try {
      map = parseArticleMap(await readFile(options.get('map')!, 'utf8'));
    } catch (error) {
      process.stderr.write(`import: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const { config, release } = await cliConfig();
  const app = await cliContext(config);
  const tty = Boolean(process.stderr.isTTY);
  try {
    const input = createReadStream(file);
    const { size } = await stat(file);
    const summary = await app.get(ImporterService).run({
      siteId,
      format,
      input,
      map,
      actor: 'cli',
      progressEveryMs: tty ? 200 : 2000,
      onProgress: (p) => process.stderr.write(progressLine(p, size, input.bytesRead, tty)),
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } catch (error) {
    if (tty) process.stderr.write('\n');
    if (error instanceof ImportParseError) {
      process.stderr.write(
        `import: ${file}: cannot parse, ${error.message}; nothing was imported\n`,
      );
      return 1;
    }
    process.stderr.write(`import: ${(error as Error).message}; nothing was imported\n`);
    return 1;
  } finally {
    await app.close();
    await release();
  }
}

process.exitCode = await main();
