import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { listen } from '../utils/events.js';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../utils/test-app.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const clientDir = fileURLToPath(new URL('../openapi-client/', import.meta.url));
const generated = `${clientDir}generated/`;

/** test/openapi-client/client.ts, as seen from here. */
interface ClientModule {
  runClient(
    baseUrl: string,
    adminToken: string,
  ): Promise<{
    submitted: { status: string };
    threadCount: number;
    notModified: boolean;
    problem: unknown;
    moderatorItem: string;
  }>;
}

/** Output of a child process that failed, for the test's message. */
function output(error: unknown): string {
  const e = error as { stdout?: string; stderr?: string; message: string };
  return `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
}

/**
 * What another team does with /docs-json (issue 15): lint it with Redocly, generate types with
 * openapi-typescript, type-check a small openapi-fetch client against them (test/openapi-client)
 * and run it against the app.
 */
describe('OpenAPI document for integrators', () => {
  let t: TestApp;
  let document: Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp();
    document = (await t.http.get('/docs-json')).body as Record<string, unknown>;
    mkdirSync(generated, { recursive: true });
    writeFileSync(`${generated}openapi.json`, JSON.stringify(document, null, 2));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('passes `redocly lint` (recommended rules, redocly.yaml)', async () => {
    try {
      const { stdout, stderr } = await run(
        `${root}node_modules/.bin/redocly`,
        ['lint', `${generated}openapi.json`, '--format=stylish'],
        {
          cwd: root,
          // No telemetry, no update check: CI may have no network.
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );
      expect(`${stdout}${stderr}`).not.toMatch(/warning|error/i);
    } catch (error) {
      throw new Error(`redocly lint failed:\n${output(error)}`);
    }
  }, 60_000);

  it('generates a client that type-checks and works against the app', async () => {
    const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
    writeFileSync(`${generated}schema.ts`, astToString(ast));
    try {
      await run(
        process.execPath,
        [`${root}node_modules/typescript/bin/tsc`, '-p', `${clientDir}tsconfig.json`],
        { cwd: root },
      );
    } catch (error) {
      throw new Error(`the generated client does not type-check:\n${output(error)}`);
    }

    // A computed specifier: the root type-check must not follow it into generated code.
    const modulePath = '../openapi-client/client.js';
    const client = (await import(modulePath)) as ClientModule;
    const result = await client.runClient(await listen(t), ADMIN_TOKEN);
    expect(result.submitted.status).toBe('pending');
    expect(result.threadCount).toBeGreaterThanOrEqual(1);
    expect(result.notModified).toBe(true);
    expect(result.problem).toMatchObject({ status: 400, type: '/problems/validation-error' });
    expect(result.moderatorItem).toBe('approved');
  }, 60_000);
});
