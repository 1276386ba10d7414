import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { databaseOptions } from './database.options.js';
import { PoolGuard } from './pool-guard.js';
import { prepareDatabase } from './prepare-database.js';

/** PostgreSQL through TypeORM; the database is created and migrated before first use. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG, Logger],
      useFactory: async (config: AppConfig, logger: Logger) => {
        // pino directly (not Nest's buffered start-up logger): migration progress shows live.
        await prepareDatabase(config, { log: (message) => logger.log(message, 'Database') });
        return { ...databaseOptions(config), retryAttempts: 3, retryDelay: 1000 };
      },
    }),
  ],
  providers: [PoolGuard],
})
export class DatabaseModule {}
