import type { DefaultJobOptions } from 'bullmq';

/** Queue names, defined once. */
export const QUEUES = {
  spam: 'spam',
  moderation: 'moderation',
  webhooks: 'webhooks',
  mail: 'mail',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Jobs carry the comment id and nothing else: no email, name, body or address in Redis. */
export interface CommentJobData {
  commentId: string;
}

/** A webhook delivery attempt: ids only; the payload is read from the outbox when sent. */
export interface WebhookJobData {
  deliveryId: string;
  endpointId: string;
  /** The outbox sequence of the event (decimal string). */
  sequence: string;
}

/**
 * A mail to send: ids only. The address is read from PostgreSQL (and decrypted) when sent.
 * `confirm`: the double opt-in mail for a comment's author; `reply`: a published reply to a
 * subscriber's comment; `digest`: the moderators' digest of newly held comments of a site.
 */
export type MailJobData =
  | { kind: 'confirm'; commentId: string }
  | { kind: 'reply'; commentId: string }
  | { kind: 'digest'; siteId: string };

/**
 * How long finished jobs stay in Redis, for every queue: completed ones an hour (at most
 * 5,000), failed ones a week (at most 10,000), so a flood of failures cannot fill Redis.
 */
export const KEEP_FINISHED_JOBS = {
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const;

/** The approximate length of each queue's BullMQ event stream (read by nothing here). */
export const BULLMQ_EVENTS_MAXLEN = 100;

/**
 * BullMQ's default is a single attempt; transient failures (database restarts, deadlocks)
 * deserve several, with exponential backoff. Completed jobs go quickly (the database is the
 * record); failed ones stay a week for inspection in /admin/queues.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  ...KEEP_FINISHED_JOBS,
};

/**
 * Worker options for every processor. Jobs take milliseconds, so a short lock lets a job held
 * by a crashed worker be picked up again within seconds (BullMQ's defaults wait 30 s).
 */
export const WORKER_OPTIONS = {
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 3,
} as const;
