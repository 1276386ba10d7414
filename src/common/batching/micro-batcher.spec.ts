import { MicroBatcher } from './micro-batcher.js';

/** A `run` whose batches are recorded and answered only when the test says so. */
function controlled() {
  const batches: string[][] = [];
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const batcher = new MicroBatcher<string, string>(
    (items) =>
      new Promise((resolve, reject) => {
        batches.push(items);
        pending.push({ resolve: () => resolve(items.map((i) => i.toUpperCase())), reject });
      }),
    3,
  );
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { batcher, batches, pending, settle };
}

describe('MicroBatcher', () => {
  it('sends a lone call at once, and those arriving meanwhile together, in order', async () => {
    const { batcher, batches, pending, settle } = controlled();
    const first = batcher.submit('a');
    expect(batches).toEqual([['a']]);
    const rest = ['b', 'c', 'd', 'e'].map((item) => batcher.submit(item));
    pending[0].resolve();
    expect(await first).toBe('A');
    await settle();
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]); // at most 3 a batch
    pending[1].resolve();
    await settle();
    expect(batches.at(-1)).toEqual(['e']);
    pending[2].resolve();
    expect(await Promise.all(rest)).toEqual(['B', 'C', 'D', 'E']);
  });

  it('rejects every call of a failed batch, and goes on with the next', async () => {
    const { batcher, pending, settle } = controlled();
    const a = batcher.submit('a');
    const b = batcher.submit('b');
    pending[0].reject(new Error('down'));
    await expect(a).rejects.toThrow('down');
    await settle();
    pending[1].resolve();
    expect(await b).toBe('B');
    // Idle again: the next call goes out by itself.
    const c = batcher.submit('c');
    pending[2].resolve();
    expect(await c).toBe('C');
  });
});
