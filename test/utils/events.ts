import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import type { CommentInput } from '../factories/comment.factory.js';
import { waitFor, type TestApp } from './test-app.js';

/** A POST the webhook receiver got. */
export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedHook[];
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on an ephemeral port; `answer` picks the status of each request (given
 * the request and what arrived before it).
 */
export async function startWebhookReceiver(
  answer: (hook: Omit<ReceivedHook, 'status'>, before: ReceivedHook[]) => number = () => 200,
): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const hook = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const status = answer(hook, received);
      received.push({ ...hook, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The Standard Webhooks check, written out here independently of the service's own code: HMAC
 * SHA-256 of `id.timestamp.body` under the base64-decoded secret, compared to each `v1,`
 * signature of the header.
 */
export function standardWebhooksValid(secret: string, hook: ReceivedHook): boolean {
  const id = String(hook.headers['webhook-id']);
  const timestamp = String(hook.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${hook.body}`).digest();
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  return String(hook.headers['webhook-signature'])
    .split(' ')
    .some((candidate) => {
      const [version, signature] = candidate.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return (
        version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected)
      );
    });
}

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface SseClient {
  status: number;
  headers: IncomingHttpHeaders;
  events: SseEvent[];
  /** Comment lines (`: …`), e.g. heartbeats. */
  comments: string[];
  ended: Promise<void>;
  isEnded(): boolean;
  close(): void;
}

/** Starts listening on an ephemeral port (once) and returns the base URL. */
export async function listen(t: TestApp): Promise<string> {
  const server = t.app.getHttpServer();
  if (!server.listening) await t.app.listen(0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** A minimal EventSource: GET with `Accept: text/event-stream`, parsed as it arrives. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      let ended = false;
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) event.data += line.slice(6);
          }
          if (event.data) events.push(event);
        }
      });
      const done = new Promise<void>((resolveEnd) =>
        res.on('close', () => {
          ended = true;
          resolveEnd();
        }),
      );
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        comments,
        ended: done,
        isEnded: () => ended,
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}

/** Runs SQL on the test app's database. */
export function sql<T = Record<string, unknown>>(
  t: TestApp,
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return t.app.get(DataSource).query(query, params);
}

/**
 * Waits until every event about the comment is relayed: the relay invalidates the thread's
 * cache once more when it hands an event on, so a test that compares two reads of a cached
 * thread (or looks for the stored page) waits for it first.
 */
export function waitForRelayed(t: TestApp, commentId: string): Promise<true> {
  return waitFor(
    async () => {
      const [{ n }] = await sql<{ n: number }>(
        t,
        `SELECT count(*)::int AS n FROM outbox_events WHERE subject = $1 AND relayed_at IS NULL`,
        [`comments/${commentId}`],
      );
      return n === 0 || null;
    },
    { intervalMs: 20, what: `the events of ${commentId} to be relayed` },
  );
}

/** Every outbox sequence, in order (decimal strings). */
export async function outboxSequences(t: TestApp): Promise<string[]> {
  const rows = await sql<{ s: string }>(
    t,
    // The public sequence is the position the relay gave the event (null until relayed).
    `SELECT position::text AS s FROM outbox_events WHERE position IS NOT NULL ORDER BY position`,
  );
  return rows.map((r) => r.s);
}

let readerCount = 0;

/**
 * Submits as a reader of its own (a fresh X-Forwarded-For, so the app must trust the loopback
 * proxy: `TRUST_PROXY=loopback`): event tests publish many comments, and one address posting
 * them all would rightly look like a spammer.
 */
export function submitAsReader(
  t: TestApp,
  articleId: string,
  comment: CommentInput,
  siteId: string,
) {
  const n = readerCount++;
  const ip = `${n % 2 ? '198.51.100' : '203.0.113'}.${(n >> 1) % 250}`;
  return t.http
    .post(`/v1/sites/${siteId}/articles/${articleId}/comments`)
    .set('content-type', 'application/json')
    .set('X-Forwarded-For', ip)
    .send(comment);
}
