import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ImportJobsService } from './import-jobs.service.js';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { ImportJobDto, ImportJobListDto } from './dto/import-responses.dto.js';
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
  @ApiRoute({
    summary: 'Upload an export file to import',
    operationId: 'createImport',
    status: 202,
    type: ImportJobDto,
    problems: [404],
    description:
      "The file (WordPress WXR, Disqus XML or this service's JSONL, up to 1 GiB) is the raw " +
      'body; the worker role imports it. Follow it with getImport.',
  })
  @ApiQuery({ name: 'siteId', required: true, example: 'default' })
  @ApiQuery({ name: 'format', required: true, enum: ['wxr', 'disqus', 'jsonl'] })
  @ApiConsumes('application/octet-stream', 'application/xml', 'text/xml', 'application/x-ndjson')
  @ApiBody({ required: true, schema: { type: 'string', format: 'binary' } })
  upload(
    @CurrentPrincipal() principal: Principal,
    @Query('siteId') siteId: string | undefined,
    @Query('format') format: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<ImportJobView> {
    return this.imports.upload(principal, siteId, format, request.raw);
  }

  @Get()
  @ApiRoute({ summary: 'List recent imports', operationId: 'listImports', type: ImportJobListDto })
  async list(): Promise<{ items: ImportJobView[] }> {
    return { items: await this.imports.list() };
  }

  @Get(':id')
  @ApiRoute({
    summary: 'Read an import: progress, then its summary',
    operationId: 'getImport',
    type: ImportJobDto,
    problems: [404],
  })
  get(@Param('id') id: string): Promise<ImportJobView> {
    return this.imports.get(id);
  }
}
