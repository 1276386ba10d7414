import { jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { PinoLogger } from 'nestjs-pino';
import { PeriodicTasks } from './periodic-tasks.js';

function tasks() {
  const registry = new SchedulerRegistry();
  const warnings: unknown[] = [];
  const logger = { warn: (o: unknown) => warnings.push(o) } as unknown as PinoLogger;
  return { registry, warnings, periodic: new PeriodicTasks(registry, logger) };
}

describe('PeriodicTasks', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs a task every interval, in the registry, and never two runs at once', async () => {
    const { registry, periodic } = tasks();
    let runs = 0;
    let finish: () => void = () => undefined;
    periodic.every('sweep', 100, () => {
      runs++;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    expect(registry.getIntervals()).toEqual(['sweep']);
    jest.advanceTimersByTime(350); // three ticks while the first run is still going
    expect(runs).toBe(1);
    finish();
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(100);
    expect(runs).toBe(2);
    finish();
    await periodic.onModuleDestroy();
  });

  it('waits `firstAfterMs` for the first run, then repeats', async () => {
    const { registry, periodic } = tasks();
    let runs = 0;
    periodic.every('retention', 1000, () => Promise.resolve(runs++), 50);
    expect(registry.getTimeouts()).toEqual(['retention']);
    jest.advanceTimersByTime(50);
    expect(runs).toBe(1);
    expect(registry.getTimeouts()).toEqual([]);
    expect(registry.getIntervals()).toEqual(['retention']);
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(1000);
    expect(runs).toBe(2);
    await periodic.onModuleDestroy();
  });

  it('logs a failed run and goes on', async () => {
    const { periodic, warnings } = tasks();
    let runs = 0;
    periodic.every('flaky', 10, () =>
      runs++ ? Promise.resolve() : Promise.reject(new Error('down')),
    );
    jest.advanceTimersByTime(10);
    for (let i = 0; i < 4; i++) await Promise.resolve();
    expect(warnings).toEqual([{ task: 'flaky', err: 'down' }]);
    jest.advanceTimersByTime(10);
    expect(runs).toBe(2);
    await periodic.onModuleDestroy();
  });

  it('stops its timers on shutdown and waits for the run in progress', async () => {
    const { registry, periodic } = tasks();
    let finish: () => void = () => undefined;
    let runs = 0;
    periodic.every('sweep', 10, () => {
      runs++;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    periodic.every('later', 10, () => Promise.resolve(), 1000);
    jest.advanceTimersByTime(10);
    let destroyed = false;
    const destroying = periodic.onModuleDestroy().then(() => (destroyed = true));
    await Promise.resolve();
    expect(destroyed).toBe(false);
    expect(registry.getIntervals()).toEqual([]);
    expect(registry.getTimeouts()).toEqual([]);
    finish();
    await destroying;
    expect(destroyed).toBe(true);
    jest.advanceTimersByTime(1000);
    expect(runs).toBe(1);
  });
});
