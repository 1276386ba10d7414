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
