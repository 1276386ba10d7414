import { connect } from 'node:net';
import { startService, type ServiceProcess } from '../utils/service-process.js';
import { waitFor } from '../utils/test-app.js';

/** Whether a new connection to the port is refused (the listening socket is closed). */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.once('error', () => resolve(true));
  });
}

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
    const received = (text: string) => answer.includes(text);
    socket.on('data', (d: Buffer) => (answer += d.toString('utf8')));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // The headers now, the body later: once the server says "100 Continue", the request is
    // in its hands, waiting for its body, when the signal arrives.
    socket.write(
      `POST /v1/sites/default/articles/shutdown/comments HTTP/1.1\r\nHost: x\r\n` +
        `Connection: keep-alive\r\ncontent-type: application/json\r\nExpect: 100-continue\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    await waitFor(() => Promise.resolve(received('HTTP/1.1 100 Continue')), {
      what: 'the server to take the request',
    });
    const started = Date.now();
    service.child.kill('SIGTERM');
    // The shutdown has begun once the server stops taking new connections.
    await waitFor(() => refusesConnections(Number(port)), {
      timeoutMs: 10_000,
      what: 'the server to stop listening',
    });
    socket.write(body);
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 202 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    const { code, signal } = await service.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);
});
