import { loadConfig, type AppConfig } from '../config/app.config.js';
import { openLocalDatabase } from '../database/embedded/local-database.js';

/**
 * A command's configuration, on the service's database: DATABASE_URL, or the embedded
 * PostgreSQL in `.data/postgres` as `npm start` would pick it (joined when the service runs,
 * else started for the command). `release()` stops a server the command started.
 */
export async function cliConfig(): Promise<{ config: AppConfig; release: () => Promise<void> }> {
  const { env, server } = await openLocalDatabase(process.env, {
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.once('exit', () => server?.stopNow());
  try {
    return { config: loadConfig(env), release: async () => server?.stop() };
  } catch (error) {
    await server?.stop();
    throw error;
  }
}
