import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { HealthCheckResult } from '@nestjs/terminus';
import { HealthService } from './health.service.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** The process is up (no dependency checked). */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** PostgreSQL and Redis answer; 503 otherwise. */
  @Get('ready')
  ready(): Promise<HealthCheckResult> {
    return this.health.ready();
  }
}
