import type { JobsOptions, Queue } from 'bullmq';

export type RequeueResult = 'queued' | 'in-flight';

/** The job a sweeper wants in the queue: its deterministic id, name, data and options. */
export interface RequeuedJob<T> {
  id: string;
  name: string;
  data: T;
  opts?: Omit<JobsOptions, 'jobId'>;
}

/**
 * The one re-queue of every sweeper (comment pipeline, webhooks, mail): the database says the
 * work is not done, so its job must be in the queue.
 *
 * A waiting, delayed or active job is left alone ('in-flight') — unless `stuck`: then the
 * work has waited so long that its job must be broken, and a second job with a derived id is
 * added. Otherwise whatever is left under the job id is removed before the add, because
 * BullMQ silently ignores an `add` whose job still exists: a completed or failed job, and also
 * one that Redis half lost (its hash back without being in any list, written by a worker that
 * was running it when the keys went: state `unknown`). The processors re-check the database,
 * so whichever job runs second is harmless.
 */
export async function requeueById<T>(
  // Spelled out: inside a generic function BullMQ cannot resolve its name and data types.
  queue: Queue<T, unknown, string, T, unknown, string>,
  job: RequeuedJob<T>,
  options: { stuck?: boolean } = {},
): Promise<RequeueResult> {
  const add = (jobId: string) => queue.add(job.name, job.data, { ...job.opts, jobId });
  const state = await queue.getJobState(job.id);
  if (state === 'completed' || state === 'failed' || state === 'unknown') {
    try {
      await queue.remove(job.id);
      await add(job.id);
      return 'queued';
    } catch {
      // Still locked by a worker that is running it (or Redis refused): as if in flight.
    }
  }
  if (!options.stuck) return 'in-flight';
  await add(`${job.id}-r${Date.now().toString(36)}`);
  return 'queued';
}
