import { resolve } from 'node:path';
import { ConfigError } from './app.config.js';
import { embeddedDatabaseSettings } from './embedded-database.config.js';

describe('embeddedDatabaseSettings', () => {
  it('defaults to auto, .data/postgres and port 5433 in development', () => {
    expect(embeddedDatabaseSettings({})).toEqual({
      nodeEnv: 'development',
      databaseUrl: null,
      mode: 'auto',
      dataDir: resolve('.data/postgres'),
      port: 5433,
      defaultServer: { host: '127.0.0.1', port: 5432 },
    });
  });

  it('reads an empty DATABASE_URL as unset, and the folder as an absolute path', () => {
    const settings = embeddedDatabaseSettings({
      DATABASE_URL: '',
      EMBEDDED_POSTGRES: 'true',
      EMBEDDED_POSTGRES_DIR: 'var/pg',
      EMBEDDED_POSTGRES_PORT: '5599',
      NODE_ENV: 'production',
    });
    expect(settings).toMatchObject({
      databaseUrl: null,
      mode: 'true',
      dataDir: resolve('var/pg'),
      port: 5599,
      nodeEnv: 'production',
    });
  });

  it('names every bad variable at once', () => {
    let problems: string[] = [];
    try {
      embeddedDatabaseSettings({ EMBEDDED_POSTGRES: 'yes', EMBEDDED_POSTGRES_PORT: '70000' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual([
      'EMBEDDED_POSTGRES must be one of auto, true, false (got "yes")',
      'EMBEDDED_POSTGRES_PORT must be an integer between 1 and 65535 (got "70000")',
    ]);
  });
});
