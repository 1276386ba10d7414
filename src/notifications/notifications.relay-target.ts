import { Injectable } from '@nestjs/common';
import {
  RelayTargetRegistry,
  type RelayTarget,
  type RelayedEvent,
} from '../events/relay-target.js';
import { MailJobsRepository } from './mail-jobs.repository.js';
import { MailQueue } from './mail.queue.js';
import { MailTransport } from './mail.transport.js';
import { NotificationMailer } from './notification-mailer.service.js';

/**
 * Relay target: turns comment events into mail jobs (ids only), see
 * `NotificationMailer.jobsFor`, recorded in `mail_jobs` before they are queued. Job ids derive
 * from the events, so a batch relayed again adds nothing. Registered only when SMTP_URL is set.
 */
@Injectable()
export class NotificationsRelayTarget implements RelayTarget {
  readonly name = 'mail';
  readonly order = 40;

  constructor(
    private readonly queue: MailQueue,
    private readonly jobs: MailJobsRepository,
    private readonly mailer: NotificationMailer,
    transport: MailTransport,
    registry: RelayTargetRegistry,
  ) {
    if (transport.enabled) registry.register(this);
  }

  async relay(batch: readonly RelayedEvent[]): Promise<void> {
    const jobs = await this.mailer.jobsFor(batch);
    await this.jobs.record(jobs);
    await this.queue.add(jobs);
  }
}
