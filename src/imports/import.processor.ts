import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { IMPORTS_QUEUE, ImportJobsService, type ImportJobData } from './import-jobs.service.js';

/** Runs uploaded imports (worker role), one at a time; the job carries the import id only. */
@Processor(IMPORTS_QUEUE, { concurrency: 1, lockDuration: 60_000 })
export class ImportProcessor extends WorkerHost {
  constructor(private readonly imports: ImportJobsService) {
    super();
  }

  process(job: Job<ImportJobData>): Promise<void> {
    return this.imports.run(job.data.importId);
  }
}
