import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { assertNoEviction } from '../../src/redis/redis.module.js';
import { waitFor } from '../utils/test-app.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A Redis of its own, so changing its policy cannot disturb other tests. */
describe('a Redis that may evict keys', () => {
  let server: ChildProcess;
  let redis: Redis;

  beforeAll(async () => {
    const port = await freePort();
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
    await waitFor(
      async () => {
        try {
          await redis.connect();
          return true;
        } catch {
          redis.disconnect();
          return false;
        }
      },
      { what: 'the private redis-server to start' },
    );
  });
  afterAll(async () => {
    redis.disconnect();
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
  });

  it('is refused at start with a message naming the fix', async () => {
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await expect(assertNoEviction(redis)).rejects.toThrow(
      /maxmemory-policy is "allkeys-lru".*noeviction/s,
    );
  });

  it('is accepted with noeviction', async () => {
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    await expect(assertNoEviction(redis)).resolves.toBeUndefined();
  });
});
