import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app.config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/** One options object for the app, the TypeORM CLI and tests. Schema only via migrations. */
export function databaseOptions(config: Pick<AppConfig, 'database'>): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    extra: { max: config.database.poolSize, application_name: 'comments-service' },
  };
}
