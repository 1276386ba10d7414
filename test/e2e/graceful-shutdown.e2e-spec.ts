import { connect } from 'node:net';
import { startService, type ServiceProcess } from '../utils/service-process.js';

/**
 * SIGTERM while a request is in flight on a keep-alive connection: the request is answered,
 * its connection ends with that answer, and the process exits promptly (not after Fastify's
 * 72 s keep-alive timeout, which is what an open keep-alive connection used to cost).
 */
describe('graceful shutdown with a request in flight', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startService({ ROLE: 'api', LOG_LEVEL: 'warn' });
  }, 60_000);

  it('answers it, closes its connection and exits within seconds', async () => {
    const { port } = new URL(service.url);
    const body = JSON.stringify({ name: 'Ann', email: 'ann@example.org', body: 'In flight' });
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('utf8')));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // Headers and half the body now: the request is in flight when the signal arrives.
    socket.write(
      `POST /v1/sites/default/articles/shutdown/comments HTTP/1.1\r\nHost: x\r\n` +
        `Connection: keep-alive\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    service.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write(body.slice(10));
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 202 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    const { code, signal } = await service.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);
});
