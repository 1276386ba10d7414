import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { TransparencyReportDto } from './dto/trust-responses.dto.js';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { TransparencyQueryDto } from './dto/trust.dto.js';
import { TransparencyService, type TransparencyReport } from './transparency.service.js';

@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/transparency')
export class TransparencyController {
  constructor(private readonly transparency: TransparencyService) {}

  @Get()
  @ApiRoute({
    summary: 'Transparency figures',
    operationId: 'getTransparencyReport',
    type: TransparencyReportDto,
    problems: [404],
  })
  report(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TransparencyQueryDto,
  ): Promise<TransparencyReport> {
    return this.transparency.report(principal, query);
  }
}
