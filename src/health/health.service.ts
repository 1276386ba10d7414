import { Inject, Injectable } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { HealthCheckResult, HealthIndicatorResult } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { withTimeout } from '../common/async/with-timeout.js';
import { ServiceUnavailableError } from '../common/errors/domain.errors.js';
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

@Injectable()
export class HealthService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Ready when PostgreSQL and Redis both answer; a 503 problem otherwise. */
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.databaseCheck(), () => this.redisCheck()]);
    } catch (error) {
      const details = (error as { response?: { details?: Record<string, unknown> } }).response
        ?.details;
      throw new ServiceUnavailableError('A dependency is not available.', safeChecks(details));
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

  private async redisCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    try {
      const pong = await withTimeout(this.redis.ping(), CHECK_TIMEOUT_MS);
      return pong === 'PONG'
        ? indicator.up()
        : indicator.down({ message: CHECK_DOWN_MESSAGES.redis });
    } catch {
      return indicator.down({ message: CHECK_DOWN_MESSAGES.redis });
    }
  }
}

/**
 * The checks as the 503 shows them: our two keys, `up` or `down` with the fixed message, and
 * nothing else a check (or a future one) might have put there.
 */
export function safeChecks(details: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(CHECK_DOWN_MESSAGES) as Array<keyof typeof CHECK_DOWN_MESSAGES>) {
    const status = (details?.[key] as { status?: unknown } | undefined)?.status;
    out[key] =
      status === 'up' ? { status: 'up' } : { status: 'down', message: CHECK_DOWN_MESSAGES[key] };
  }
  return out;
}
