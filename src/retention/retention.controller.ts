import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { RetentionResultDto } from '../trust/dto/trust-responses.dto.js';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { RetentionService, type RetentionResult } from './retention.service.js';

@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  /** Runs the retention purge now; answers what it removed. */
  @Post('run')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Run the retention purge now',
    operationId: 'runRetention',
    type: RetentionResultDto,
  })
  run(@CurrentPrincipal() principal: Principal): Promise<RetentionResult> {
    return this.retention.run(principal.actor);
  }
}
