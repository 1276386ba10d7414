import { resolve } from 'node:path';
import { ConfigError } from './app.config.js';

type Env = Record<string, string | undefined>;

/**
 * EMBEDDED_POSTGRES: `auto` (default) starts the embedded PostgreSQL outside production when
 * DATABASE_URL is unset and none answers on the default local port (or when `.data/postgres`
 * already holds one); `true` starts it even in production (a deliberate choice, never a silent
 * one); `false` never does (DATABASE_URL's default is used as it is).
 */
export type EmbeddedMode = 'auto' | 'true' | 'false';

export interface EmbeddedDatabaseSettings {
  nodeEnv: string;
  /** DATABASE_URL as given; null when unset (or empty). */
  databaseUrl: string | null;
  mode: EmbeddedMode;
  /** EMBEDDED_POSTGRES_DIR: the cluster's folder (absolute); default `.data/postgres`. */
  dataDir: string;
  /** EMBEDDED_POSTGRES_PORT: the port it listens on, on 127.0.0.1 only; default 5433. */
  port: number;
  /** Where DATABASE_URL's default points, probed in `auto` mode before a first embedded start. */
  defaultServer: { host: string; port: number };
}

export const DEFAULT_EMBEDDED_DIR = '.data/postgres';
export const DEFAULT_EMBEDDED_PORT = 5433;

/** Reads the variables that decide where the database comes from, before loadConfig runs. */
export function embeddedDatabaseSettings(rawEnv: Env): EmbeddedDatabaseSettings {
  const env: Env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== ''));
  const problems: string[] = [];
  const mode = (env.EMBEDDED_POSTGRES ?? 'auto') as EmbeddedMode;
  if (!['auto', 'true', 'false'].includes(mode)) {
    problems.push(`EMBEDDED_POSTGRES must be one of auto, true, false (got "${mode}")`);
  }
  const rawPort = env.EMBEDDED_POSTGRES_PORT;
  const port = rawPort === undefined ? DEFAULT_EMBEDDED_PORT : Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(
      `EMBEDDED_POSTGRES_PORT must be an integer between 1 and 65535 (got "${rawPort}")`,
    );
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    nodeEnv: env.NODE_ENV ?? 'development',
    databaseUrl: env.DATABASE_URL ?? null,
    mode,
    dataDir: resolve(env.EMBEDDED_POSTGRES_DIR ?? DEFAULT_EMBEDDED_DIR),
    port,
    defaultServer: { host: '127.0.0.1', port: 5432 },
  };
}
