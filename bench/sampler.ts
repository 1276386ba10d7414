// Samples the RSS, CPU time and write system calls of processes from /proc while a benchmark
// runs.
import { readFileSync } from 'node:fs';

const PAGE = 4096;
const TICKS = 100;

export interface Usage {
  maxRssMb: number;
  cpuSeconds: number;
  /**
   * write-family system calls (`write`, `writev`, `pwrite`… : `syscw` of /proc/<pid>/io). For
   * the service these are its socket writes (it writes no files but its log, off at `warn`).
   */
  writes: number;
}

interface Sample {
  rss: number;
  cpu: number;
  writes: number;
}

function read(pid: number): Sample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let writes = 0;
    try {
      writes = Number(/^syscw:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
    } catch {
      // another user's process: no I/O accounting for us
    }
    return {
      cpu: (Number(fields[11]) + Number(fields[12])) / TICKS,
      rss: (Number(fields[21]) * PAGE) / 1024 / 1024,
      writes,
    };
  } catch {
    return null;
  }
}

export class Sampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly max = new Map<number, number>();
  private readonly first = new Map<number, Sample>();
  private readonly last = new Map<number, Sample>();

  constructor(private readonly pids: () => number[]) {}

  start(): void {
    for (const pid of this.pids()) {
      const s = read(pid);
      if (s) this.first.set(pid, s);
    }
    this.timer = setInterval(() => this.sample(), 250);
  }

  private sample(): void {
    for (const pid of this.pids()) {
      const s = read(pid);
      if (!s) continue;
      this.max.set(pid, Math.max(this.max.get(pid) ?? 0, s.rss));
      this.last.set(pid, s);
      if (!this.first.has(pid)) this.first.set(pid, s);
    }
  }

  stop(): Usage {
    this.sample();
    clearInterval(this.timer);
    let cpu = 0;
    let writes = 0;
    for (const [pid, last] of this.last) {
      const first = this.first.get(pid) ?? last;
      cpu += last.cpu - first.cpu;
      writes += last.writes - first.writes;
    }
    return {
      maxRssMb: Math.round(Math.max(0, ...this.max.values())),
      cpuSeconds: Math.round(cpu * 100) / 100,
      writes,
    };
  }
}
