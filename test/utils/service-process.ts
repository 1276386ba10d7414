import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN, isolatedNames, PG_SERVER, REDIS_URL, waitFor } from './test-app.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  env: Record<string, string>;
  output: string[];
  /** Resolves with the exit code, or the signal the process ended by. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the built service (`node dist/main.js`) as a real process on its own port. */
export async function startService(env: Record<string, string> = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const names = isolatedNames();
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `${PG_SERVER}/${names.database}`,
    REDIS_URL,
    REDIS_PREFIX: names.prefix,
    ADMIN_TOKEN,
    LOG_LEVEL: 'info',
    SECRET_KEY: Buffer.from('k'.repeat(32) + 'test secret key material').toString('base64'),
    AUTH_FAILURES_PER_MINUTE: '100000',
    ...env,
  };
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env: fullEnv });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`service exited early:\n${output.join('')}`);
      try {
        return (await fetch(`${url}/health/ready`)).ok;
      } catch {
        return false;
      }
    },
    { timeoutMs: 20_000, intervalMs: 100, what: 'the service to be ready' },
  );
  return { child, url, env: fullEnv, output, exited };
}
