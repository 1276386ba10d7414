import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { QUEUES } from '../queue/queue.constants.js';

/** Prometheus metrics: process defaults, HTTP latency by route, queue depths. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectQueue(QUEUES.spam) spam: Queue,
    @InjectQueue(QUEUES.moderation) moderation: Queue,
  ) {
    this.registry.setDefaultLabels({ role: config.role });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    const queues = [spam, moderation];
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const queue of queues) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
          for (const [state, n] of Object.entries(counts))
            this.set({ queue: queue.name, state }, n);
        }
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /**
   * `observeRequest` for one method, route and status, its labels bound once (for the answers
   * given below Fastify, which has no `onResponse` for them).
   */
  requestObserver(method: string, route: string, status: number): (seconds: number) => void {
    const child = this.httpDuration.labels({ method, route, status: String(status) });
    return (seconds) => child.observe(seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
