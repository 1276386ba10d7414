import type { JobState, Queue } from 'bullmq';
import { requeueById } from './requeue.js';

type State = JobState | 'unknown';

/** A queue that holds job states by id and records what was removed and added. */
function fakeQueue(states: Record<string, State>, failRemove = false) {
  const added: Array<{ name: string; data: unknown; jobId: string; attempts?: number }> = [];
  const removed: string[] = [];
  const queue = {
    getJobState: (id: string) => Promise.resolve(states[id] ?? 'unknown'),
    remove: (id: string) => {
      if (failRemove) return Promise.reject(new Error('Job is locked'));
      removed.push(id);
      return Promise.resolve(1);
    },
    add: (name: string, data: unknown, opts: { jobId: string; attempts?: number }) => {
      added.push({ name, data, jobId: opts.jobId, attempts: opts.attempts });
      return Promise.resolve({});
    },
  };
  return {
    queue: queue as unknown as Queue<
      { n: number },
      unknown,
      string,
      { n: number },
      unknown,
      string
    >,
    added,
    removed,
  };
}

const job = { id: 'j1', name: 'work', data: { n: 1 }, opts: { attempts: 3 } };

describe('requeueById', () => {
  it.each<State>(['completed', 'failed', 'unknown'])(
    'removes a %s job left under the id, then adds it again with its options',
    async (state) => {
      const { queue, added, removed } = fakeQueue({ j1: state });
      await expect(requeueById(queue, job)).resolves.toBe('queued');
      expect(removed).toEqual(['j1']);
      expect(added).toEqual([{ name: 'work', data: { n: 1 }, jobId: 'j1', attempts: 3 }]);
    },
  );

  it.each<State>(['waiting', 'delayed', 'active', 'prioritized'])(
    'leaves a %s job alone',
    async (state) => {
      const { queue, added, removed } = fakeQueue({ j1: state });
      await expect(requeueById(queue, job)).resolves.toBe('in-flight');
      expect(removed).toEqual([]);
      expect(added).toEqual([]);
    },
  );

  it('treats a job it cannot remove (locked by a worker) as in flight', async () => {
    const { queue, added } = fakeQueue({ j1: 'completed' }, true);
    await expect(requeueById(queue, job)).resolves.toBe('in-flight');
    expect(added).toEqual([]);
  });

  it('adds a second job under a derived id when the first is stuck', async () => {
    const { queue, added, removed } = fakeQueue({ j1: 'active' });
    await expect(requeueById(queue, job, { stuck: true })).resolves.toBe('queued');
    expect(removed).toEqual([]);
    expect(added).toHaveLength(1);
    expect(added[0].jobId).toMatch(/^j1-r[0-9a-z]+$/);
  });
});
