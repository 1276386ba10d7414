// Samples the RSS and CPU time of processes from /proc while a benchmark runs.
import { readFileSync } from 'node:fs';

const PAGE = 4096;
const TICKS = 100;

export interface Usage {
  maxRssMb: number;
  cpuSeconds: number;
}

function read(pid: number): { rss: number; cpu: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      cpu: (Number(fields[11]) + Number(fields[12])) / TICKS,
      rss: (Number(fields[21]) * PAGE) / 1024 / 1024,
    };
  } catch {
    return null;
  }
}

export class Sampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly max = new Map<number, number>();
  private readonly startCpu = new Map<number, number>();
  private readonly lastCpu = new Map<number, number>();

  constructor(private readonly pids: () => number[]) {}

  start(): void {
    for (const pid of this.pids()) {
      const s = read(pid);
      if (s) this.startCpu.set(pid, s.cpu);
    }
    this.timer = setInterval(() => this.sample(), 250);
  }

  private sample(): void {
    for (const pid of this.pids()) {
      const s = read(pid);
      if (!s) continue;
      this.max.set(pid, Math.max(this.max.get(pid) ?? 0, s.rss));
      this.lastCpu.set(pid, s.cpu);
      if (!this.startCpu.has(pid)) this.startCpu.set(pid, s.cpu);
    }
  }

  stop(): Usage {
    this.sample();
    clearInterval(this.timer);
    let cpu = 0;
    for (const [pid, last] of this.lastCpu) cpu += last - (this.startCpu.get(pid) ?? last);
    return {
      maxRssMb: Math.round(Math.max(0, ...this.max.values())),
      cpuSeconds: Math.round(cpu * 100) / 100,
    };
  }
}
