// `npm run db`: the embedded PostgreSQL alone (no app), until Ctrl-C or SIGTERM, for pg_dump,
// psql or a look at the data: it prints how to connect. Joins the server when `npm start` is
// running (and then leaves it to that process). See docs/operations.md.
import { ConfigError } from '../config/app.config.js';
import { embeddedDatabaseSettings } from '../config/embedded-database.config.js';
import {
  EmbeddedPostgres,
  EmbeddedPostgresError,
} from '../database/embedded/embedded-postgres.server.js';

async function main(): Promise<number> {
  const settings = embeddedDatabaseSettings(process.env);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const server = await new EmbeddedPostgres({
    dataDir: settings.dataDir,
    port: settings.port,
    log,
  }).start();
  const url = new URL(server.url('comments'));
  url.password = '';
  process.stdout.write(
    `Embedded PostgreSQL ready (pid ${server.pid}) on 127.0.0.1:${server.port}, data in ${server.dataDir}\n` +
      `  connect: PGPASSFILE=${server.dataDir}.pgpass psql ${url.toString()}\n` +
      `  dump:    PGPASSFILE=${server.dataDir}.pgpass pg_dump -Fc -f comments.dump ${url.toString()}\n` +
      (server.tenure === 'shared'
        ? 'It belongs to a running service, which stops it; Ctrl-C leaves it running.\n'
        : 'Ctrl-C stops it.\n'),
  );
  // The server runs detached: this timer keeps the command alive until a signal comes.
  const alive = setInterval(() => undefined, 3_600_000);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => resolve(s));
  });
  clearInterval(alive);
  log(`${signal}: stopping…`);
  await server.stop();
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof EmbeddedPostgresError)) throw error;
  process.stderr.write(`db: ${error.message}\n`);
  process.exitCode = error instanceof ConfigError ? 78 : 1;
}
