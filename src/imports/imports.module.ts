import { BullModule } from '@nestjs/bullmq';
import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { SitesModule } from '../sites/sites.module.js';
import { ImportJobsRepository } from './import-jobs.repository.js';
import { IMPORTS_QUEUE, ImportJobsService } from './import-jobs.service.js';
import { ImportsCoreModule } from './imports-core.module.js';
import { ImportsController } from './imports.controller.js';

/** Export files are uploaded as they are: their bytes are streamed by the route itself. */
const UPLOAD_TYPES = [
  'application/octet-stream',
  'application/xml',
  'text/xml',
  'application/x-ndjson',
  'application/jsonl',
];

/** Imports and exports of a site's comments: the admin API (uploads run in the worker role). */
@Module({
  imports: [ImportsCoreModule, SitesModule, BullModule.registerQueue({ name: IMPORTS_QUEUE })],
  controllers: [ImportsController],
  providers: [ImportJobsRepository, ImportJobsService],
  exports: [ImportsCoreModule, ImportJobsService],
})
export class ImportsModule implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addContentTypeParser) return;
    for (const type of UPLOAD_TYPES) {
      if (fastify.hasContentTypeParser(type)) continue;
      // Leave the body unread: the import route streams `request.raw` into PostgreSQL.
      fastify.addContentTypeParser(type, (_request, _payload, done) => done(null));
    }
  }
}
