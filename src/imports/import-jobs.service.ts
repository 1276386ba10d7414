import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Principal } from '../auth/principal.js';
import { NotFoundError, ValidationFailedError } from '../common/errors/domain.errors.js';
import { UUID_PATTERN } from '../common/http/identifiers.js';
import { SitesService } from '../sites/sites.service.js';
import { ImporterService } from './importer.service.js';
import { ImportJobsRepository, type ImportJobView } from './import-jobs.repository.js';
import { IMPORT_FORMATS, ImportParseError, type ImportFormat } from './parsers/source-record.js';

export const IMPORTS_QUEUE = 'imports';
/** The import job carries the import's id only; the file is in PostgreSQL. */
export interface ImportJobData {
  importId: string;
}
const CHUNK_BYTES = 1024 * 1024;
/** Largest upload accepted (the CLI has no limit). */
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

export class ImportNotFoundError extends NotFoundError {
  constructor() {
    super('No import with this id.');
  }
}

/** Imports uploaded through the admin API: stored in chunks, run by the worker role. */
@Injectable()
export class ImportJobsService {
  private readonly logger = new Logger(ImportJobsService.name);

  constructor(
    private readonly repo: ImportJobsRepository,
    private readonly importer: ImporterService,
    private readonly sites: SitesService,
    @InjectQueue(IMPORTS_QUEUE) private readonly queue: Queue<ImportJobData>,
  ) {}

  async upload(
    principal: Principal,
    siteId: string | undefined,
    format: string | undefined,
    body: AsyncIterable<Buffer>,
  ): Promise<ImportJobView> {
    const errors = [];
    if (!siteId) errors.push({ field: 'siteId', message: 'siteId is required' });
    if (!format || !IMPORT_FORMATS.includes(format as ImportFormat)) {
      errors.push({
        field: 'format',
        message: `format must be one of ${IMPORT_FORMATS.join(', ')}`,
      });
    }
    if (errors.length) throw new ValidationFailedError(errors);
    await this.sites.get(siteId!);
    const id = await this.repo.create(siteId!, format!, principal.actor);
    let seq = 0;
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await this.repo.addChunk(id, seq++, Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
    };
    try {
      for await (const chunk of body) {
        size += chunk.length;
        if (size > MAX_UPLOAD_BYTES) {
          throw new ValidationFailedError([
            { field: 'body', message: `the file must be at most ${MAX_UPLOAD_BYTES} bytes` },
          ]);
        }
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
      await flush();
      if (size === 0)
        throw new ValidationFailedError([{ field: 'body', message: 'the file is empty' }]);
    } catch (error) {
      await this.repo.transition(id, ['uploading'], 'failed', { error: (error as Error).message });
      await this.repo.dropFile(id);
      throw error;
    }
    await this.repo.transition(id, ['uploading'], 'queued');
    await this.queue.add('import', { importId: id }, { jobId: id, attempts: 1 });
    return (await this.repo.find(id))!;
  }

  async get(id: string): Promise<ImportJobView> {
    const found = UUID_PATTERN.test(id) ? await this.repo.find(id) : null;
    if (!found) throw new ImportNotFoundError();
    return found;
  }

  list(): Promise<ImportJobView[]> {
    return this.repo.list(50);
  }

  /** The worker's part: streams the stored file into the importer, reporting progress. */
  async run(id: string): Promise<void> {
    const job = await this.repo.find(id);
    // `running` too: a job whose worker died is delivered again (its transaction rolled back).
    if (!job || !(await this.repo.transition(id, ['queued', 'running'], 'running'))) return;
    const repo = this.repo;
    async function* file(): AsyncGenerator<Buffer> {
      for (let seq = 0; ;) {
        const chunks = await repo.chunks(id, seq, 4);
        if (chunks.length === 0) return;
        for (const c of chunks) yield c.data;
        seq = chunks[chunks.length - 1].seq + 1;
      }
    }
    let progress: Promise<void> = Promise.resolve();
    try {
      const actor = (await this.actorOf(id)) ?? 'api';
      const summary = await this.importer.run({
        siteId: job.siteId,
        format: job.format as ImportFormat,
        input: file(),
        actor,
        progressEveryMs: 1000,
        onProgress: (p) => {
          progress = progress
            .then(() => this.repo.setProgress(id, { ...p }))
            .catch(() => undefined);
        },
      });
      await progress;
      await this.repo.transition(id, ['running'], 'completed', { summary });
    } catch (error) {
      await progress;
      const message =
        error instanceof ImportParseError
          ? `cannot parse, ${error.message}; nothing was imported`
          : `${(error as Error).message}; nothing was imported`;
      this.logger.warn(`Import ${id} failed: ${message}`);
      await this.repo.transition(id, ['running'], 'failed', { error: message });
    } finally {
      await this.repo.dropFile(id);
    }
  }

  private async actorOf(id: string): Promise<string | null> {
    return this.repo.actor(id);
  }
}
