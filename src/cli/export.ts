// `npm run export -- --site <siteId> [--format jsonl|wxr]`: every comment of the site to
// stdout, emails included (the operator's own data: keep the file safe). `jsonl` imports
// back unchanged (`npm run import -- --format jsonl`).
import { ExporterService, type ExportFormat } from '../imports/exporter.service.js';
import { cliConfig } from './cli-config.js';
import { cliContext, parseArgs } from './cli-context.js';

async function main(): Promise<number> {
  const { options } = parseArgs(process.argv.slice(2));
  const siteId = options.get('site');
  const format = (options.get('format') ?? 'jsonl') as ExportFormat;
  if (!siteId || (format !== 'jsonl' && format !== 'wxr')) {
    process.stderr.write('usage: npm run export -- --site <siteId> [--format jsonl|wxr]\n');
    return 2;
  }
  const { config, release } = await cliConfig();
  const app = await cliContext(config);
  try {
    const n = await app.get(ExporterService).run(siteId, format, process.stdout);
    process.stderr.write(`export: ${n} comment(s) of site ${siteId} written as ${format}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`export: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await app.close();
    await release();
  }
}

process.exitCode = await main();
