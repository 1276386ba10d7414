import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { HealthCheckResult } from '@nestjs/terminus';
import { HealthService, type TransportHealth } from './health.service.js';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { LiveDto, ReadyDto } from './dto/health-responses.dto.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** The process is up (no dependency checked). */
  @Get('live')
  @ApiRoute({ summary: 'Liveness', operationId: 'getLive', type: LiveDto })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** PostgreSQL (and Redis, with the Redis transport) answer; 503 otherwise. */
  @Get('ready')
  @ApiRoute({ summary: 'Readiness', operationId: 'getReady', type: ReadyDto, problems: [503] })
  ready(): Promise<HealthCheckResult & { transport: TransportHealth }> {
    return this.health.ready();
  }
}
