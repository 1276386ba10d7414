import { WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app.config.js';

/** A processor whose concurrency comes from WORKER_CONCURRENCY (decorators are static). */
export abstract class ConfiguredWorkerHost extends WorkerHost implements OnApplicationBootstrap {
  protected abstract readonly config: AppConfig;

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
  }
}
