import { Socket } from 'node:net';
import {
  embeddedDatabaseSettings,
  type EmbeddedDatabaseSettings,
} from '../../config/embedded-database.config.js';
import { ConfigError } from '../../config/app.config.js';
import { EmbeddedPostgres, type RunningServer } from './embedded-postgres.server.js';

type Env = Record<string, string | undefined>;

/** The database the service was given: the environment to configure it from, and the server. */
export interface LocalDatabase {
  /** The environment for loadConfig: DATABASE_URL set to the embedded server's when there is one. */
  env: Env;
  /** The embedded server, or null when DATABASE_URL (or its default) names the database. */
  server: RunningServer | null;
}

export interface LocalDatabaseOptions {
  log: (line: string) => void;
  /** Whether a PostgreSQL answers at DATABASE_URL's default place (tests replace it). */
  probe?: (host: string, port: number) => Promise<boolean>;
}

/**
 * Decides where the database comes from, before the configuration is loaded:
 * 1. DATABASE_URL set: that one (nothing embedded).
 * 2. EMBEDDED_POSTGRES=false: DATABASE_URL's default, as before.
 * 3. An embedded cluster already in EMBEDDED_POSTGRES_DIR (`.data/postgres`): that one, so a
 *    site's data never silently moves to an empty server.
 * 4. A PostgreSQL answers at the default place (127.0.0.1:5432): that one, as before.
 * 5. Otherwise the embedded PostgreSQL, created on first start. In production (NODE_ENV) it is
 *    refused unless EMBEDDED_POSTGRES=true says so: a ConfigError names what to set.
 */
export async function openLocalDatabase(
  rawEnv: Env,
  options: LocalDatabaseOptions,
): Promise<LocalDatabase> {
  const settings = embeddedDatabaseSettings(rawEnv);
  if (settings.databaseUrl !== null || settings.mode === 'false') {
    return { env: rawEnv, server: null };
  }
  const exists = EmbeddedPostgres.exists(settings.dataDir);
  if (settings.mode === 'auto' && !exists) {
    const { host, port } = settings.defaultServer;
    if (await (options.probe ?? answers)(host, port)) return { env: rawEnv, server: null };
  }
  if (settings.nodeEnv === 'production' && settings.mode !== 'true') {
    throw new ConfigError([productionRefusal(settings, exists)]);
  }
  const server = await new EmbeddedPostgres({
    dataDir: settings.dataDir,
    port: settings.port,
    log: options.log,
  }).start();
  return { env: { ...rawEnv, DATABASE_URL: server.url('comments') }, server };
}

function productionRefusal(settings: EmbeddedDatabaseSettings, exists: boolean): string {
  const { host, port } = settings.defaultServer;
  const why = exists
    ? `an embedded PostgreSQL cluster is in ${settings.dataDir}`
    : `no PostgreSQL answers on ${host}:${port}`;
  return (
    `DATABASE_URL must be set when NODE_ENV=production (it is not, and ${why}): ` +
    'set DATABASE_URL=postgres://user:password@host:5432/comments, or EMBEDDED_POSTGRES=true ' +
    `to run the embedded PostgreSQL in ${settings.dataDir} deliberately`
  );
}

/** A TCP connection is accepted at host:port within a second. */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

/**
 * Stops an owned embedded server after the app: on SIGINT, SIGTERM or SIGHUP it waits for the
 * app's shutdown (the one Nest's own signal handler runs: HTTP, workers, pools), stops the
 * database, then ends by the same signal. A server shared with another live process is left
 * running. (A normal exit is the caller's: `process.once('exit', () => server.stopNow())`.)
 */
export function stopAfterApp(server: RunningServer | null, app: { close(): Promise<void> }): void {
  if (!server || server.tenure === 'shared') return;
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return; // Nest re-raises the signal once the app is closed: absorbed here
    stopping = true;
    void app
      .close()
      .catch(() => undefined)
      .then(() => server.stop())
      .finally(() => {
        for (const s of signals) process.off(s, onSignal);
        process.kill(process.pid, signal);
      });
  };
  for (const s of signals) process.on(s, onSignal);
}
