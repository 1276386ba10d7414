import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Auth } from '../auth/auth.decorators.js';
import { AuditService, type AuditView } from './audit.service.js';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { AuditListDto } from './dto/audit-responses.dto.js';

const TARGET_TYPES = [
  'ban',
  'token',
  'site',
  'article',
  'privacy',
  'retention',
  'webhook',
] as const;

export class AuditQueryDto {
  @ApiPropertyOptional({ enum: TARGET_TYPES })
  @IsOptional()
  @IsIn(TARGET_TYPES)
  targetType?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;
}

@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The newest entries first: bans, tokens, site settings, articles, privacy requests, webhooks. */
  @Get()
  @ApiRoute({ summary: 'List the audit log', operationId: 'listAuditEntries', type: AuditListDto })
  async list(@Query() query: AuditQueryDto): Promise<{ items: AuditView[] }> {
    return { items: await this.audit.list(query) };
  }
}
