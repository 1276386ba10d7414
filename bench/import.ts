// The import scenario of `npm run bench` (alone: `BENCH_ONLY=import npm run bench`): a
// generated WordPress WXR file of BENCH_IMPORT_COMMENTS (100,000) comments is imported by the
// real CLI (`node dist/cli/import.js`) into a fresh database, timed from start to summary.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_SERVER, ROOT } from '../test/chaos/cluster.js';
import { generateWxr } from '../test/utils/import-files.js';
import { Sampler } from './sampler.js';

export const IMPORT_COMMENTS = Number(process.env.BENCH_IMPORT_COMMENTS ?? 100_000);

export interface ImportBench {
  comments: number;
  fileMb: number;
  seconds: number;
  perSecond: number;
  summary: { imported: number; skipped: number; duplicates: number; errors: unknown[] };
  maxRssMb: number;
  cpuSeconds: number;
}

export async function importScenario(redisUrl: string): Promise<ImportBench> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const file = join(dir, 'archive.xml');
  const perArticle = 100;
  const out = createWriteStream(file);
  const gen = generateWxr({
    articles: Math.ceil(IMPORT_COMMENTS / perArticle),
    commentsPerArticle: perArticle,
    replyEvery: 3,
    pings: false,
  });
  for (let next = gen.next(); !next.done; next = gen.next()) {
    if (!out.write(next.value)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const database = `bench_import_${randomBytes(4).toString('hex')}`;
  const env = {
    ...process.env,
    DATABASE_URL: `${PG_SERVER}/${database}`,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bench-import-${randomBytes(3).toString('hex')}`,
    SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
  };
  try {
    // Create and migrate the database first (the CLI would), so only the import is timed.
    await run(['--site', 'no-such-site', '--format', 'wxr', file], env).catch(() => undefined);
    const started = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      [join(ROOT, 'dist/cli/import.js'), '--site', 'default', '--format', 'wxr', file],
      {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const sampler = new Sampler(() => (child.pid ? [child.pid] : []));
    sampler.start();
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const usage = sampler.stop();
    if (code !== 0) throw new Error(`import exited ${code}`);
    const summary = JSON.parse(stdout.trimEnd().split('\n').at(-1)!) as ImportBench['summary'];
    return {
      comments: IMPORT_COMMENTS,
      fileMb: Math.round(statSync(file).size / 1e5) / 10,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round(summary.imported / seconds),
      summary,
      maxRssMb: usage.maxRssMb,
      cpuSeconds: usage.cpuSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/import.js'), ...args], {
      env,
      stdio: 'ignore',
    });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(String(code)))));
  });
}
