import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rawServerFactory, setRawAnswer } from '../../common/http/raw-server.js';
import type { Site, SitesService } from '../../sites/sites.service.js';
import { cachedEtag, threadVariant } from './thread-etag.js';
import { plainQuery, threadFastPath, type FastPathEdge } from './thread-fast-path.js';
import type { ThreadCache } from './thread.cache.js';

const PAGE = Buffer.from('{"count":1}');
const URL_PATH = '/v1/sites/s1/articles/a1/comments';
const VARIANT = threadVariant(plainQuery('')!);
const ETAG = cachedEtag('7', VARIANT);

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** The raw server with a stand-in for Fastify that answers 299 "fastify". */
async function start(options: {
  lookup?: () => Promise<{ generation: string; page: Buffer | null } | null>;
  closing?: () => boolean;
}) {
  const observed: Array<[number, number]> = [];
  const fastify: string[] = [];
  const server: Server = rawServerFactory()(
    (req, res) => {
      fastify.push(`${req.method} ${req.url}`);
      res.writeHead(299, { 'content-type': 'text/plain' }).end('fastify');
    },
    { keepAliveTimeout: 72_000, requestTimeout: 0, connectionTimeout: 0 },
  );
  const site = { id: 's1', allowedOrigins: ['https://news.example'] } as Site;
  const sites = {
    getCached: (id: string) => Promise.resolve(id === 's1' ? site : null),
  } as unknown as SitesService;
  const cache = {
    lookup: options.lookup ?? (() => Promise.resolve({ generation: '7', page: PAGE })),
  } as unknown as ThreadCache;
  const edge: FastPathEdge = {
    headers: { 'x-content-type-options': 'nosniff' },
    cacheHeaders: (s, a) => ({ 'cache-control': 'no-cache', 'surrogate-key': `thread:${s}/${a}` }),
    allowsOrigin: (s, origin) => s.allowedOrigins.includes(origin),
    closing: options.closing ?? (() => false),
    observe: (status, seconds) => observed.push([status, seconds]),
  };
  expect(setRawAnswer(server, threadFastPath(cache, sites, edge))).toBe(true);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const call = (path: string, method = 'GET', headers: Record<string, string> = {}, body = '') =>
    new Promise<Answer>((resolve, reject) => {
      if (body) headers = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
      const req = httpRequest({ port, host: '127.0.0.1', path, method, headers }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    call,
    observed,
    fastify,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('the thread read below Fastify', () => {
  it('answers a cached page with its headers, and a 304, in one writeHead', async () => {
    const s = await start({});
    try {
      const page = await s.call(URL_PATH);
      expect(page.status).toBe(200);
      expect(page.body).toBe(PAGE.toString());
      expect(page.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        vary: 'Origin',
        'cache-control': 'no-cache',
        'surrogate-key': 'thread:s1/a1',
        etag: ETAG,
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(PAGE.length),
      });
      expect(page.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(page.headers['access-control-allow-origin']).toBeUndefined();
      expect(page.headers['transfer-encoding']).toBeUndefined();
      const notModified = await s.call(URL_PATH, 'GET', { 'if-none-match': `"x", ${ETAG}` });
      expect(notModified.status).toBe(304);
      expect(notModified.body).toBe('');
      expect(notModified.headers.etag).toBe(ETAG);
      expect(notModified.headers['content-type']).toBeUndefined();
      expect(s.fastify).toEqual([]);
      expect(s.observed.map(([status]) => status)).toEqual([200, 304]);
      expect(s.observed.every(([, seconds]) => seconds >= 0 && seconds < 5)).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('echoes a plausible request id and allows only the site’s origins', async () => {
    const s = await start({});
    try {
      const given = await s.call(URL_PATH, 'GET', {
        'x-request-id': 'proxy-id.1',
        origin: 'https://news.example',
      });
      expect(given.headers['x-request-id']).toBe('proxy-id.1');
      expect(given.headers['access-control-allow-origin']).toBe('https://news.example');
      expect(given.headers['access-control-expose-headers']).toBe('ETag, Retry-After');
      const other = await s.call(URL_PATH, 'GET', {
        'x-request-id': 'not a plausible id',
        origin: 'https://evil.example',
      });
      expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      expect(other.headers['access-control-expose-headers']).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('hands Fastify everything else, a miss and a failure after looking', async () => {
    let lookup: () => Promise<{ generation: string; page: Buffer | null } | null> = () =>
      Promise.resolve(null);
    const s = await start({ lookup: () => lookup() });
    try {
      const fastify = async (path: string, method = 'GET', headers = {}, body = '') => {
        const res = await s.call(path, method, headers, body);
        expect([res.status, res.body]).toEqual([299, method === 'HEAD' ? '' : 'fastify']);
      };
      await fastify(URL_PATH); // not cached
      lookup = () => Promise.resolve({ generation: '7', page: null });
      await fastify(URL_PATH); // a generation without this page
      lookup = () => Promise.reject(new Error('Redis down'));
      await fastify(URL_PATH);
      lookup = () => Promise.resolve({ generation: '7', page: PAGE });
      await fastify(URL_PATH, 'HEAD');
      await fastify(URL_PATH, 'POST', { 'content-type': 'application/json' }, '{}');
      await fastify(URL_PATH, 'GET', { 'content-type': 'application/json' }, '{"a":1}');
      await fastify(`${URL_PATH}?limit=500`);
      await fastify(`${URL_PATH}?other=1`);
      await fastify('/v1/sites/unknown/articles/a1/comments');
      await fastify('/v1/sites/s1/counts');
      await fastify('/health/live');
      expect(s.fastify).toHaveLength(11);
      expect(s.observed).toEqual([]);
      expect((await s.call(`${URL_PATH}?limit=200&sort=newest`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('ends the connection of an answer given while closing; Fastify answers new ones', async () => {
    let closing = false;
    const s = await start({
      closing: () => closing,
      lookup: () => {
        closing = true; // the app starts closing while the cache is asked
        return Promise.resolve({ generation: '7', page: PAGE });
      },
    });
    try {
      const inFlight = await s.call(URL_PATH);
      expect(inFlight.status).toBe(200);
      expect(inFlight.headers.connection).toBe('close');
      const next = await s.call(URL_PATH);
      expect(next.status).toBe(299);
    } finally {
      await s.close();
    }
  });

  it('leaves every request to Fastify until the answer is installed', async () => {
    const server = rawServerFactory()((_req, res) => res.writeHead(299).end('fastify'), {
      keepAliveTimeout: 5_000,
      requestTimeout: 0,
      connectionTimeout: 0,
    });
    expect(server.keepAliveTimeout).toBe(5_000);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}${URL_PATH}`);
      expect(res.status).toBe(299);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(setRawAnswer({}, () => false)).toBe(false);
  });
});
