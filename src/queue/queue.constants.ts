import type { DefaultJobOptions } from 'bullmq';

/** Queue names, defined once. */
export const QUEUES = {
  spam: 'spam',
  moderation: 'moderation',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Jobs carry the comment id and nothing else: no email, name, body or address in Redis. */
export interface CommentJobData {
  commentId: string;
}

/**
 * BullMQ's default is a single attempt; transient failures (database restarts, deadlocks)
 * deserve several, with exponential backoff. Completed jobs go quickly (the database is the
 * record); failed ones stay a week for inspection in /admin/queues.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
