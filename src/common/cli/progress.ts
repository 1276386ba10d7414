/**
 * Progress of a long command-line job, on stderr (stdout stays for results): on a terminal one
 * line redrawn in place, elsewhere (CI, logs) a line at most every 2 seconds and at the end.
 */
export interface Progress {
  /** `done` of `total` (total unknown: null). */
  update(done: number, total?: number | null, note?: string): void;
  /** A step of its own (`Training the final model…`). */
  step(message: string): void;
  done(message?: string): void;
}

export function progress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): Progress {
  const tty = Boolean(stream.isTTY);
  const started = now();
  let last = Number.NEGATIVE_INFINITY;
  let open = false;
  const seconds = () => `${((now() - started) / 1000).toFixed(1)} s`;
  const write = (line: string, final: boolean) => {
    if (tty) {
      stream.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
      open = !final;
    } else {
      stream.write(`${line}\n`);
    }
  };
  return {
    update(done, total = null, note = '') {
      const t = now();
      const finished = total !== null && done >= total;
      if (!tty && !finished && t - last < 2000) return;
      last = t;
      const share = total ? ` (${Math.floor((done / total) * 100)} %)` : '';
      write(
        `${label}: ${done}${total !== null ? `/${total}` : ''}${share}${note ? ` ${note}` : ''} · ${seconds()}`,
        false,
      );
    },
    step(message) {
      if (open) stream.write('\n');
      open = false;
      stream.write(`${label}: ${message} · ${seconds()}\n`);
    },
    done(message = 'done') {
      if (open) stream.write('\n');
      open = false;
      stream.write(`${label}: ${message} in ${seconds()}\n`);
    },
  };
}
