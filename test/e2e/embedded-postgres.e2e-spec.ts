import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ConfigError } from '../../src/config/app.config.js';
import {
  EmbeddedPostgres,
  isAlive,
  type RunningServer,
} from '../../src/database/embedded/embedded-postgres.server.js';
import { openLocalDatabase } from '../../src/database/embedded/local-database.js';
import { waitFor } from '../utils/test-app.js';
import { ROOT, startService } from '../utils/service-process.js';

// Embedded PostgreSQL test ports (never the shared server on 5432).
const PORT = 5440;
const APP_PORT = 5441;

/**
 * The embedded PostgreSQL of `npm start` (issue 22), on a test port in a temporary folder:
 * first start, a hard kill of the server or of its owner, sharing, production's refusal, and
 * the service stopping it last on SIGTERM.
 */
describe('the embedded PostgreSQL', () => {
  const root = mkdtempSync(join(tmpdir(), 'comments-embedded-'));
  const dataDir = join(root, 'postgres');
  const lines: string[] = [];
  const server = (port = PORT): EmbeddedPostgres =>
    new EmbeddedPostgres({ dataDir, port, log: (line) => lines.push(line) });
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    // Whatever a failed test left running on the cluster.
    const pidFile = join(dataDir, 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      const cmdline = isAlive(pid) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
      if (cmdline.includes(dataDir)) {
        process.kill(pid, 'SIGQUIT');
        await waitFor(() => Promise.resolve(!isAlive(pid)), {
          what: 'the leftover server to stop',
        });
      }
    }
    rmSync(root, { recursive: true, force: true });
  });

  async function query(running: RunningServer, sql: string): Promise<unknown[]> {
    const client = new pg.Client({ connectionString: running.url('postgres') });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }

  it('creates the cluster on first start, with a password kept beside it', async () => {
    const running = await server().start();
    try {
      expect(running.tenure).toBe('started');
      expect(running.port).toBe(PORT);
      expect(await query(running, 'SHOW server_version_num')).toEqual([
        { server_version_num: expect.stringMatching(/^17\d{4}$/) as string },
      ]);
      await query(running, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
      expect(readFileSync(`${dataDir}.pgpass`, 'utf8')).toContain(
        `127.0.0.1:*:*:postgres:${new URL(running.url('x')).password}`,
      );
      // No password: refused (scram-sha-256, not trust).
      const anonymous = new pg.Client({ host: '127.0.0.1', port: PORT, user: 'postgres' });
      anonymous.on('error', () => undefined);
      await expect(anonymous.connect()).rejects.toThrow();
      await anonymous.end().catch(() => undefined);
    } finally {
      await running.stop();
    }
    expect(isAlive(running.pid)).toBe(false);
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
  }, 90_000);

  it('starts again after the server was killed with -9 (stale postmaster.pid)', async () => {
    const first = await server().start();
    process.kill(first.pid, 'SIGKILL');
    await waitFor(() => Promise.resolve(!isAlive(first.pid)), {
      what: 'the killed server to be gone',
    });
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(true);

    lines.length = 0;
    const second = await waitFor(
      // The killed server's backends may hold its shared memory a moment longer.
      () =>
        server()
          .start()
          .catch(() => null),
      { timeoutMs: 30_000, intervalMs: 250, what: 'a start after the hard kill' },
    );
    try {
      expect(second.tenure).toBe('started');
      expect(second.pid).not.toBe(first.pid);
      expect(lines.join('\n')).toMatch(/Removed a stale .*postmaster\.pid: process \d+ is gone/);
      expect(await query(second, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
    } finally {
      await second.stop();
    }
  }, 90_000);

  it('removes a postmaster.pid whose process is another program now, and starts', async () => {
    // A reboot or a container restart: the old pid now belongs to someone else (here: us).
    writeFileSync(join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
    lines.length = 0;
    const running = await server().start();
    try {
      expect(running.tenure).toBe('started');
      expect(lines.join('\n')).toContain(`process ${process.pid} is another program now`);
      expect(await query(running, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
    } finally {
      await running.stop();
    }
  }, 90_000);

  it('names the variable to set when its port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(APP_PORT, '127.0.0.1', resolve));
    try {
      await expect(server(APP_PORT).start()).rejects.toThrow(
        `port ${APP_PORT} is taken: set EMBEDDED_POSTGRES_PORT to a free one`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 90_000);

  /** `npm run db` (the server alone) as a real process, ready once it printed how to connect. */
  async function dbCommand(): Promise<{ child: ChildProcess; output: string[] }> {
    const child = spawn(process.execPath, ['dist/cli/embedded-db.js'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        EMBEDDED_POSTGRES_DIR: dataDir,
        EMBEDDED_POSTGRES_PORT: String(PORT),
      },
    });
    children.push(child);
    const output: string[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString('utf8')));
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`npm run db exited:\n${output.join('')}`);
        return Promise.resolve(output.join('').includes('Embedded PostgreSQL ready'));
      },
      { timeoutMs: 30_000, what: 'npm run db to be ready' },
    );
    return { child, output };
  }

  it('takes over a server whose owner was killed with -9, and stops it', async () => {
    const { child } = await dbCommand();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const orphan = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(isAlive(orphan)).toBe(true); // detached: the server outlives its owner

    lines.length = 0;
    const adopted = await server().start();
    expect(adopted.tenure).toBe('adopted');
    expect(adopted.pid).toBe(orphan);
    expect(lines.join('\n')).toMatch(/left running .* by a process that is gone; taking it over/);
    expect(await query(adopted, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
    await adopted.stop();
    expect(isAlive(orphan)).toBe(false);
  }, 90_000);

  it('shares a server with its live owner, which stops it on SIGTERM', async () => {
    const { child, output } = await dbCommand();
    const owner = await server().start();
    expect(owner.tenure).toBe('shared');
    expect(await query(owner, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
    await owner.stop(); // not ours to stop
    expect(isAlive(owner.pid)).toBe(true);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.join('')).toMatch(/Embedded PostgreSQL stopped in \d+ ms/);
    expect(isAlive(owner.pid)).toBe(false);
  }, 90_000);

  describe('in production (NODE_ENV=production)', () => {
    it('refuses, naming what to set, when no PostgreSQL answers', async () => {
      const empty = join(root, 'never-created');
      const attempt = openLocalDatabase(
        { NODE_ENV: 'production', EMBEDDED_POSTGRES_DIR: empty },
        { log: () => undefined, probe: () => Promise.resolve(false) },
      );
      await expect(attempt).rejects.toThrow(ConfigError);
      await expect(attempt).rejects.toThrow(
        /DATABASE_URL must be set when NODE_ENV=production .*no PostgreSQL answers on 127\.0\.0\.1:5432.*EMBEDDED_POSTGRES=true/,
      );
      expect(existsSync(empty)).toBe(false);
    });

    it('uses a PostgreSQL that answers at the default place, as before', async () => {
      const local = await openLocalDatabase(
        { NODE_ENV: 'production', EMBEDDED_POSTGRES_DIR: join(root, 'never-created') },
        { log: () => undefined, probe: () => Promise.resolve(true) },
      );
      expect(local.server).toBeNull();
      expect(local.env.DATABASE_URL).toBeUndefined();
    });

    it('refuses to start the service on an embedded cluster (exit 78, nothing started)', () => {
      const result = spawnSync(process.execPath, ['dist/main.js'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          DATABASE_URL: '',
          EMBEDDED_POSTGRES_DIR: dataDir,
          EMBEDDED_POSTGRES_PORT: String(PORT),
          SECRET_KEY: Buffer.from('p'.repeat(40)).toString('base64'),
        },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(result.status).toBe(78);
      expect(result.stderr).toContain(
        `DATABASE_URL must be set when NODE_ENV=production (it is not, and an embedded ` +
          `PostgreSQL cluster is in ${dataDir})`,
      );
      expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    });
  });

  it('serves the app on it, then stops it after the app on SIGTERM', async () => {
    const service = await startService({
      DATABASE_URL: '',
      EMBEDDED_POSTGRES: 'true',
      EMBEDDED_POSTGRES_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(APP_PORT),
    });
    children.push(service.child);
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const res = await fetch(`${service.url}/v1/sites/default/articles/embedded/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ann', email: 'ann@example.org', body: 'On the embedded one' }),
    });
    expect(res.status).toBe(202);

    service.child.kill('SIGTERM');
    const { code, signal } = await service.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(isAlive(pid)).toBe(false);
    const output = service.output.join('');
    expect(output).toContain(`the embedded PostgreSQL on 127.0.0.1:${APP_PORT} (started)`);
    expect(output).toMatch(/Embedded PostgreSQL stopped in \d+ ms/);
    expect(output).not.toMatch(/"level":(50|60)/); // no error lines: the app closed first
    // The app's sessions had ended on their own: a smart shutdown, never escalated.
    const log = readFileSync(`${dataDir}.log`, 'utf8');
    const shutdown = log.slice(log.lastIndexOf('received smart shutdown request'));
    expect(shutdown).toMatch(/^received smart shutdown request[^]*database system is shut down/);
    expect(shutdown).not.toMatch(/fast shutdown|terminating connection/);
  }, 120_000);
});
