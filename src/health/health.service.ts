import { Inject, Injectable } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { HealthCheckResult, HealthIndicatorResult } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { withTimeout } from '../common/async/with-timeout.js';
import { ServiceUnavailableError } from '../common/errors/domain.errors.js';
import type { AppConfig, Transport } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { REDIS } from '../redis/redis.module.js';

const CHECK_TIMEOUT_MS = 1500;

/**
 * What a failing check says. Fixed texts only: a driver's own message names hosts, ports,
 * users or databases (`connect ECONNREFUSED 10.0.0.5:5432`), which docs/api.md keeps internal.
 * The cause is for the logs and the metrics, not for whoever can reach /health/ready.
 */
export const CHECK_DOWN_MESSAGES = {
  database: 'PostgreSQL did not answer',
  redis: 'Redis did not answer',
} as const;

/** Which transport this process runs on, as /health/ready reports it. */
export interface TransportHealth {
  name: Transport;
  /** Whether events go to the Redis Stream (off with the PostgreSQL transport). */
  eventStream: boolean;
}

@Injectable()
export class HealthService {
  private readonly transport: TransportHealth;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {
    this.transport = { name: config.transport, eventStream: config.transport === 'redis' };
  }

  /**
   * Ready when PostgreSQL (and Redis, with the Redis transport) answer; a 503 problem
   * otherwise. Says which transport the process runs on.
   */
  async ready(): Promise<HealthCheckResult & { transport: TransportHealth }> {
    const redis = this.redis;
    const checks = [() => this.databaseCheck()];
    if (redis) checks.push(() => this.redisCheck(redis));
    try {
      return { ...(await this.health.check(checks)), transport: this.transport };
    } catch (error) {
      const details = (error as { response?: { details?: Record<string, unknown> } }).response
        ?.details;
      throw new ServiceUnavailableError(
        'A dependency is not available.',
        safeChecks(details, redis ? ['database', 'redis'] : ['database']),
      );
    }
  }

  private async databaseCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('database');
    try {
      await withTimeout(this.db.query('SELECT 1'), CHECK_TIMEOUT_MS);
      return indicator.up();
    } catch {
      return indicator.down({ message: CHECK_DOWN_MESSAGES.database });
    }
  }

  private async redisCheck(redis: Redis): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    try {
      const pong = await withTimeout(redis.ping(), CHECK_TIMEOUT_MS);
      return pong === 'PONG'
        ? indicator.up()
        : indicator.down({ message: CHECK_DOWN_MESSAGES.redis });
    } catch {
      return indicator.down({ message: CHECK_DOWN_MESSAGES.redis });
    }
  }
}

/**
 * The checks as the 503 shows them: our keys, `up` or `down` with the fixed message, and
 * nothing else a check (or a future one) might have put there.
 */
export function safeChecks(
  details: Record<string, unknown> | undefined,
  keys = Object.keys(CHECK_DOWN_MESSAGES) as Array<keyof typeof CHECK_DOWN_MESSAGES>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const status = (details?.[key] as { status?: unknown } | undefined)?.status;
    out[key] =
      status === 'up' ? { status: 'up' } : { status: 'down', message: CHECK_DOWN_MESSAGES[key] };
  }
  return out;
}
