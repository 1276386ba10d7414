import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { UnauthorizedError } from '../common/errors/domain.errors.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MetricsService } from './metrics.service.js';
import { bearerToken } from '../common/http/bearer.js';

/** Prometheus text; behind `Authorization: Bearer <METRICS_TOKEN>` when that is set. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly tokenHash: Buffer | null;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tokenHash = config.metricsToken ? sha256(config.metricsToken) : null;
  }

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  render(@Headers('authorization') authorization: string | undefined): Promise<string> {
    if (this.tokenHash) {
      const given = bearerToken(authorization) ?? '';
      // Compared as digests, in constant time.
      if (!timingSafeEqual(sha256(given), this.tokenHash)) {
        throw new UnauthorizedError('GET /metrics needs the METRICS_TOKEN bearer token.');
      }
    }
    return this.metrics.render();
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
