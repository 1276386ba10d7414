import pg from 'pg';
import { ADMIN_TOKEN, PG_SERVER, waitFor } from '../utils/test-app.js';
import { startService, type ServiceProcess } from '../utils/service-process.js';

/** The built service as operators run it: `node dist/main.js`. */
describe('the service process', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    if (service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
  });

  it('says where it listens, and logs JSON lines when stdout is not a terminal', () => {
    const lines = service.output.join('').split('\n').filter(Boolean);
    const listening = lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string })
      .find((entry) => entry.msg?.startsWith('Listening on '));
    expect(listening?.msg).toBe(
      `Listening on http://127.0.0.1:${new URL(service.url).port} (role all); API docs at /docs`,
    );
  });

  it('serves the Swagger UI at /docs and the contract at /docs-json', async () => {
    const ui = await fetch(`${service.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger/i);
    const json = await fetch(`${service.url}/docs-json`);
    expect(((await json.json()) as { openapi: string }).openapi).toMatch(/^3\./);
  });

  it('shows the queue dashboard to admins only', async () => {
    const anonymous = await fetch(`${service.url}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
    const wrong = await fetch(`${service.url}/admin/queues`, {
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status).toBe(401);
    const basic = Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64');
    const page = await fetch(`${service.url}/admin/queues`, {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const api = await fetch(`${service.url}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map(
      (q) => q.name,
    );
    expect(names).toEqual(expect.arrayContaining(['spam', 'moderation']));
  });

  it('accepts a comment, then shuts down cleanly on SIGTERM', async () => {
    const res = await fetch(`${service.url}/v1/sites/default/articles/a-1/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ann', email: 'ann@example.org', body: 'Hello' }),
    });
    expect(res.status).toBe(202);
    const started = Date.now();
    service.child.kill('SIGTERM');
    // Nest closes everything, then re-raises the signal: ending by SIGTERM is the clean path.
    const { code, signal } = await service.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    const log = service.output.join('');
    expect(log).not.toMatch(/"level":(50|60)/); // no error or fatal lines
    // Ending by SIGTERM is also what a process killed outright does. What only the shutdown
    // hooks do is close its connections: each PostgreSQL session of its own database ended
    // with the protocol's goodbye, none dropped mid-session ("abandoned", as PostgreSQL
    // counts a client that vanished).
    expect(await sessionsOf(new URL(service.env.DATABASE_URL).pathname.slice(1))).toEqual({
      ended: expect.any(Number),
      abandoned: 0,
    });
  });
});

/** How the sessions of a database ended, once none is left (read from another database). */
async function sessionsOf(database: string): Promise<{ ended: number; abandoned: number }> {
  const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const { rows } = await admin.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
          [database],
        );
        return rows[0]?.n === 0;
      },
      { what: `the sessions of ${database} to end` },
    );
    const { rows } = await admin.query<{ ended: number; abandoned: number }>(
      `SELECT sessions::int AS ended, sessions_abandoned::int AS abandoned
         FROM pg_stat_database WHERE datname = $1`,
      [database],
    );
    expect(rows[0]?.ended).toBeGreaterThan(0);
    return rows[0];
  } finally {
    await admin.end();
  }
}

describe('configuration errors', () => {
  it('refuse to start, naming every bad variable', async () => {
    const { spawnSync } = await import('node:child_process');
    const { ROOT } = await import('../utils/service-process.js');
    const result = spawnSync(process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ROLE: 'everything', PORT: 'x', NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('ROLE');
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('SECRET_KEY');
  });
});
