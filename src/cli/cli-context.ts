import 'reflect-metadata';
import {
  Module,
  type DynamicModule,
  type INestApplicationContext,
  type LoggerService,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CryptoModule } from '../common/crypto/crypto.module.js';
import { loggerParams } from '../common/logging/logger.options.js';
import type { AppConfig } from '../config/app.config.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { ImportsCoreModule } from '../imports/imports-core.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { RedisModule } from '../redis/redis.module.js';

/** What the import and export commands need: the database, Redis (caches), the importer. */
@Module({})
class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        // The service's log lines (JSON) go to stderr: stdout is the command's output.
        LoggerModule.forRoot(loggerParams(config, pino.destination(2))),
        CryptoModule,
        DatabaseModule,
        RedisModule,
        QueueModule,
        AuditModule,
        AuthModule,
        ImportsCoreModule,
      ],
    };
  }
}

/** Warnings and errors on stderr (stdout carries the command's output). */
const stderrLogger: LoggerService = {
  log: () => undefined,
  warn: (message: unknown) => process.stderr.write(`warning: ${String(message)}\n`),
  error: (message: unknown) => process.stderr.write(`error: ${String(message)}\n`),
};

export function cliContext(config: AppConfig): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: stderrLogger });
}

/** `--name value` options and positional arguments. */
export function parseArgs(argv: string[]): { options: Map<string, string>; positional: string[] } {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) options.set(arg.slice(2, eq), arg.slice(eq + 1));
      else options.set(arg.slice(2), argv[++i] ?? '');
    } else positional.push(arg);
  }
  return { options, positional };
}
