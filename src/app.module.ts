import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CommentsModule } from './comments/comments.module.js';
import { CryptoModule } from './common/crypto/crypto.module.js';
import { ConsoleModule } from './console/console.module.js';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { loggerParams } from './common/logging/logger.options.js';
import type { AppConfig } from './config/app.config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { QueueModule } from './queue/queue.module.js';
import { RedisModule } from './redis/redis.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { SitesModule } from './sites/sites.module.js';
import { SpamModule } from './spam/spam.module.js';
import { TrustModule } from './trust/trust.module.js';
import { WidgetModule } from './widget/widget.module.js';
import { WorkerModule } from './worker.module.js';

/** Composition root: infrastructure, features, and the worker role when asked for. */
@Module({})
export class AppModule {
  /** `logStream` replaces stdout as the log destination (tests read what was logged). */
  static forRoot(
    config: AppConfig,
    options: { logStream?: DestinationStream } = {},
  ): DynamicModule {
    const worker = config.role === 'worker' || config.role === 'all';
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, options.logStream)),
        CryptoModule,
        DatabaseModule,
        RedisModule,
        QueueModule,
        AuditModule,
        AuthModule,
        SitesModule,
        EventsModule,
        CommentsModule,
        SpamModule,
        ModerationModule,
        PrivacyModule,
        NotificationsModule,
        // Trust and safety (issue 17): flags, appeals, author edits, transparency, retention.
        TrustModule,
        RetentionModule,
        HealthModule,
        MetricsModule,
        WidgetModule,
        ConsoleModule,
        ImportsModule,
        ...(worker ? [WorkerModule] : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
