// A deployment of the service for the chaos harness: a private Redis, its own database, and
// real `node dist/main.js` processes (api and worker roles) on their own ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createPostgresBackend, Queue, withBackend } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PG_SERVER = process.env.CHAOS_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
/** The V8 heap limits `npm start` and the Docker image run the service with (README, Performance). */
export const NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=8'];
export const ADMIN_TOKEN = `chaos-admin-${randomBytes(12).toString('hex')}`;
const CHAOS_SECRET_KEY = randomBytes(32).toString('base64');

/**
 * A free loopback port: any, or the next free one of HARNESS_PORTS (`4220-4239`) when the
 * machine is shared and each user has a range of ports.
 */
export async function freePort(): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.HARNESS_PORTS ?? '');
  if (!range) return listenOn(0);
  const [first, last] = [Number(range[1]), Number(range[2])];
  for (let i = 0; i <= last - first; i++) {
    const port = first + ((nextPort + i) % (last - first + 1));
    const free = await listenOn(port).catch(() => null);
    if (free === null) continue;
    nextPort = port - first + 1;
    return port;
  }
  throw new Error(`No free port in HARNESS_PORTS ${range[0]}`);
}
let nextPort = 0;

function listenOn(wanted: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(wanted, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // keep trying until the deadline
    }
    if (Date.now() > deadline) return null;
    await sleep(intervalMs);
  }
}

export interface ServiceProcess {
  name: string;
  role: 'api' | 'worker';
  port: number;
  child: ChildProcess | null;
  url: string;
  /** Taken out of the load balancer (SIGTERM sent): no new requests go to it. */
  draining?: boolean;
}

/** The Redis server the harness owns, so it can flush and restart it. */
export class PrivateRedis {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  /** The server process (the benchmark samples its CPU). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    const client = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined); // refused until the server listens: that is the wait
    const up = await until(async () => {
      await client.connect().catch(() => undefined);
      return (await client.ping()) === 'PONG';
    }, 10_000);
    client.disconnect();
    if (!up) throw new Error('private redis-server did not start');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }
}

export class Cluster {
  readonly database = `comments_chaos_${Date.now().toString(36)}`;
  readonly prefix = `chaos${Date.now().toString(36)}`;
  readonly processes: ServiceProcess[] = [];
  readonly logs = new Map<string, string[]>();

  constructor(
    readonly redis: PrivateRedis,
    private readonly env: Record<string, string>,
  ) {}

  get databaseUrl(): string {
    return `${PG_SERVER}/${this.database}`;
  }

  /** What the processes run on (env TRANSPORT; Redis by default, as the harness sets REDIS_URL). */
  get transport(): 'redis' | 'postgres' {
    return this.env.TRANSPORT === 'postgres' ? 'postgres' : 'redis';
  }

  /** A BullMQ queue of the deployment, on its transport (close it after use). */
  queue(name: string): Queue {
    if (this.transport === 'redis') {
      return new Queue(name, { connection: { url: this.redis.url }, prefix: this.prefix });
    }
    const { Queue: PostgresQueue } = withBackend(createPostgresBackend);
    return new PostgresQueue(name, {
      connection: { connectionString: this.databaseUrl, schema: 'bullmq', max: 2 },
    }) as unknown as Queue;
  }

  apis(): ServiceProcess[] {
    return this.processes.filter((p) => p.role === 'api');
  }

  workers(): ServiceProcess[] {
    return this.processes.filter((p) => p.role === 'worker');
  }

  async add(role: 'api' | 'worker', n: number): Promise<void> {
    const port = await freePort();
    const p: ServiceProcess = {
      name: `${role}${n}`,
      role,
      port,
      child: null,
      url: `http://127.0.0.1:${port}`,
    };
    this.processes.push(p);
    await this.start(p);
  }

  async start(p: ServiceProcess): Promise<void> {
    p.draining = true; // in the balancer once ready
    const child = spawn(process.execPath, [...NODE_FLAGS, 'dist/main.js'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        ROLE: p.role,
        PORT: String(p.port),
        HOST: '127.0.0.1',
        DATABASE_URL: this.databaseUrl,
        REDIS_URL: this.redis.url,
        REDIS_PREFIX: this.prefix,
        ADMIN_TOKEN,
        LOG_LEVEL: 'warn',
        // One key for every process of the cluster (else each would use the generated key file).
        SECRET_KEY: CHAOS_SECRET_KEY,
        // The harness's webhook receivers listen on loopback.
        WEBHOOK_ALLOW_PRIVATE: 'true',
        ...this.env,
      },
    });
    const log = this.logs.get(p.name) ?? [];
    this.logs.set(p.name, log);
    child.stdout?.on('data', (d: Buffer) => log.push(d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => log.push(d.toString('utf8')));
    p.child = child;
    const ready = await until(async () => (await fetch(`${p.url}/health/ready`)).ok, 90_000, 100);
    if (!ready) throw new Error(`${p.name} did not become ready:\n${log.join('').slice(-2000)}`);
    p.draining = false;
  }

  async kill(p: ServiceProcess, signal: NodeJS.Signals): Promise<number> {
    const child = p.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return 0;
    const started = Date.now();
    const exited = new Promise((r) => child.once('exit', r));
    // A load balancer takes a process out on SIGTERM (it is told); SIGKILL comes unannounced.
    if (signal === 'SIGTERM') p.draining = true;
    child.kill(signal);
    await exited;
    p.child = null;
    p.draining = false;
    return Date.now() - started;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.processes.map((p) => this.kill(p, 'SIGKILL')));
  }

  async dropDatabase(): Promise<void> {
    const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
    await client.connect();
    try {
      await client.query(
        `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(this.database)} WITH (FORCE)`,
      );
    } finally {
      await client.end();
    }
  }
}
