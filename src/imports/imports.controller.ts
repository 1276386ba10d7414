import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ImportJobsService } from './import-jobs.service.js';
import type { ImportJobView } from './import-jobs.repository.js';

/**
 * `POST /v1/admin/imports?siteId=…&format=wxr|disqus|jsonl` with the export file as the raw
 * body (any content type but JSON) → 202 with the import; the worker role runs it.
 * `GET /v1/admin/imports/{id}` shows its progress and, once finished, the summary.
 */
@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/imports')
export class ImportsController {
  constructor(private readonly imports: ImportJobsService) {}

  @Post()
  @HttpCode(202)
  @ApiConsumes('application/octet-stream', 'application/xml', 'application/x-ndjson')
  upload(
    @CurrentPrincipal() principal: Principal,
    @Query('siteId') siteId: string | undefined,
    @Query('format') format: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<ImportJobView> {
    return this.imports.upload(principal, siteId, format, request.raw);
  }

  @Get()
  async list(): Promise<{ items: ImportJobView[] }> {
    return { items: await this.imports.list() };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<ImportJobView> {
    return this.imports.get(id);
  }
}
