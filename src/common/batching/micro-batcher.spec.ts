import { jest } from '@jest/globals';
import { batchOrEach, MicroBatcher, SettledBatcher } from './micro-batcher.js';

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

describe('SettledBatcher', () => {
  it('fails only the call whose item failed; the others of its batch get their results', async () => {
    const batches: number[][] = [];
    const batcher = new SettledBatcher<number, number>((items) => {
      batches.push(items);
      return Promise.resolve(
        items.map((n) =>
          n < 0 ? { ok: false, error: new Error(`bad ${n}`) } : { ok: true, value: n * 2 },
        ),
      );
    });
    const calls = [1, 2, -3, 4].map((n) => batcher.submit(n));
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : String(s.reason)))).toEqual([
      2,
      4,
      'Error: bad -3',
      8,
    ]);
    expect(batches).toEqual([[1], [2, -3, 4]]);
  });
});

describe('batchOrEach', () => {
  it('takes every item in one batch when it succeeds', async () => {
    const single = jest.fn((n: number) => Promise.resolve(n));
    const out = await batchOrEach([1, 2], (all) => Promise.resolve(all.map((n) => n + 1)), single);
    expect(out).toEqual([
      { ok: true, value: 2 },
      { ok: true, value: 3 },
    ]);
    expect(single).not.toHaveBeenCalled();
  });

  it('tries each item alone when the batch fails, so only the bad one fails', async () => {
    const out = await batchOrEach(
      [1, 0, 3],
      () => Promise.reject(new Error('batch refused')),
      (n) => (n === 0 ? Promise.reject(new Error('zero')) : Promise.resolve(10 / n)),
    );
    expect(out.map((o) => (o.ok ? o.value : (o.error as Error).message))).toEqual([
      10,
      'zero',
      10 / 3,
    ]);
  });
});
