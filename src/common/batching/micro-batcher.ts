/**
 * Coalesces calls the way a database driver coalesces writes: the first call goes out at once;
 * the calls that arrive while it is on its way wait, and go together in one `run` as soon as
 * it is back. A lone call waits for nothing; a burst costs a few round trips instead of one
 * each. `run` answers one result per item, in order; if it throws, every call of that batch
 * rejects with its error.
 */
export class MicroBatcher<I, O> {
  private readonly waiting: Array<{
    item: I;
    resolve: (result: O) => void;
    reject: (error: unknown) => void;
  }> = [];
  private sending = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 200,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatch);
        try {
          const results = await this.run(batch.map(({ item }) => item));
          batch.forEach(({ resolve }, i) => resolve(results[i]));
        } catch (error) {
          for (const { reject } of batch) reject(error);
        }
      }
    } finally {
      this.sending = false;
    }
  }
}

/** What one item of a batch came to: its own result, or its own error. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

/** Runs `work` for each item on its own, so that one item's error stays its own. */
export function settleEach<I, O>(
  items: I[],
  work: (item: I, index: number) => Promise<O>,
): Promise<Settled<O>[]> {
  return Promise.all(
    items.map((item, index) =>
      work(item, index).then(
        (value): Settled<O> => ({ ok: true, value }),
        (error: unknown): Settled<O> => ({ ok: false, error }),
      ),
    ),
  );
}

/**
 * A `MicroBatcher` whose `run` answers each item with its own outcome: a failing item rejects
 * only its own call (a job of a batch fails and is retried alone; the others complete). If
 * `run` itself throws, every call of that batch rejects with its error.
 */
export class SettledBatcher<I, O> {
  private readonly batcher: MicroBatcher<I, Settled<O>>;

  constructor(run: (items: I[]) => Promise<Settled<O>[]>, maxBatch?: number) {
    this.batcher = new MicroBatcher(run, maxBatch);
  }

  async submit(item: I): Promise<O> {
    const outcome = await this.batcher.submit(item);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }
}

/**
 * Does the items' work in one round trip (`batch`, one result per item, in order); if that
 * fails, does each item on its own (`single`), so that an item the batch could not take (or a
 * batch that met a deadlock) fails only itself.
 */
export async function batchOrEach<I, O>(
  items: I[],
  batch: (items: I[]) => Promise<O[]>,
  single: (item: I) => Promise<O>,
): Promise<Settled<O>[]> {
  if (items.length === 0) return [];
  try {
    return (await batch(items)).map((value) => ({ ok: true, value }));
  } catch (error) {
    if (items.length === 1) return [{ ok: false, error }];
    return settleEach(items, single);
  }
}
