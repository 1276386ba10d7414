import cors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { NotFoundError, ValidationFailedError } from './common/errors/domain.errors.js';
import { jsonDeeperThan, MAX_JSON_DEPTH } from './common/http/json-depth.js';
import { illFormedField } from './common/http/json-unicode.js';
import { sendProblem } from './common/errors/problem.filter.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from './common/errors/problem.js';
import { securityHeaders } from './common/http/security-headers.js';
import { createValidationPipe } from './common/http/validation.js';
import type { AppConfig } from './config/app.config.js';
import { APP_CONFIG } from './config/config.module.js';
import { MetricsService } from './metrics/metrics.service.js';
import { SiteCorsPolicy } from './sites/site-cors.policy.js';
import { SitesService } from './sites/sites.service.js';
import { THREAD_ROUTE, threadFastPath } from './comments/thread/thread-fast-path.js';
import { edgeCacheHeaders } from './common/http/edge-cache.js';
import { rawServerFactory, setRawAnswer } from './common/http/raw-server.js';
import { ThreadCache } from './comments/thread/thread.cache.js';
import { createOpenApiDocument } from './common/openapi/openapi-document.js';

export interface SetupOptions {
  /** Serve Swagger UI at /docs (needs @fastify/static, which Jest on Node 20 cannot load). */
  swaggerUi: boolean;
}

/** Fastify server options shared by main.ts and the tests. */
export function fastifyOptions(config: AppConfig) {
  return {
    trustProxy: config.http.trustProxy === false ? false : config.http.trustProxy.join(','),
    bodyLimit: config.http.bodyLimitBytes,
    routerOptions: { maxParamLength: 300 },
    return503OnClosing: true,
    // Node's HTTP server with a listener that answers the cached thread read below Fastify
    // once setupApp has installed it (thread-fast-path.ts); everything else goes to Fastify.
    serverFactory: rawServerFactory(),
    // pino-http logs requests; Fastify's own logger stays off.
    logger: false,
    // Errors the router raises before any hook (bad URL, over-long parameter) as problems too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      sendProblem(request, reply, error, { error: () => undefined });
    },
    // Requests Node's HTTP parser refuses (malformed framing): answered as a problem, then closed.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: Socket) => {
      if (!socket.writable) return;
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify(toProblem({ statusCode: status }).body);
      socket.end(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
          `content-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
          `connection: close\r\n\r\n${body}`,
      );
    },
  };
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;
/** The links in mail post forms (the confirm button, RFC 8058 one-click unsubscribe). */
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;
const FORM_PATHS = /^\/v1\/subscriptions\//;
const WORKER_PATHS = /^\/(health|metrics)(\/|\?|$)/;
/** Routes whose body is a file, streamed by the route itself (imports). */
const RAW_BODY_PATHS = /^\/v1\/admin\/imports(\?|$)/;

/** Everything about the HTTP edge that is not a controller: one place for main.ts and tests. */
export async function setupApp(app: NestFastifyApplication, options: SetupOptions): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const fastify = app.getHttpAdapter().getInstance();
  const logger = await app.resolve(PinoLogger);
  logger.setContext('Http');

  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const headers = securityHeaders();
  fastify.addHook(
    'onRequest',
    (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      void reply.headers(headers);
      done();
    },
  );

  // The CORS preflight route (`OPTIONS *`, added by @fastify/cors below) is registered before
  // Nest installs its error handler, so it would keep Fastify's default one and answer a body
  // parser error (e.g. `content-type: application/json` with no body) in Fastify's own JSON.
  fastify.addHook(
    'onRoute',
    (route: { method: string | string[]; url: string; errorHandler?: unknown }) => {
      if (route.url === '*' && route.method === 'OPTIONS' && !route.errorHandler) {
        route.errorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) =>
          sendProblem(request, reply, error, logger);
      }
    },
  );

  // Graceful shutdown: once closing, every response ends its connection. Fastify closes idle
  // keep-alive connections when it starts closing, but one busy at that moment would stay open
  // after its response until keepAliveTimeout (72 s), holding the process that long.
  let closing = false;
  fastify.addHook('preClose', (done: () => void) => {
    closing = true;
    done();
  });
  // With a `serverFactory`, Fastify closes the server only if it started it (`listen`); one
  // started directly (tests listen on `app.getHttpServer()`) is closed here, as Fastify did.
  // onClose handlers run last-registered first: this one after Fastify's own.
  fastify.addHook('onClose', (_instance: unknown, done: () => void) => {
    if (!fastify.server.listening) return done();
    fastify.server.close(() => done());
  });
  fastify.addHook(
    'onSend',
    (_request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
      if (closing) void reply.header('connection', 'close');
      done(null, payload);
    },
  );

  const corsPolicy = app.get(SiteCorsPolicy);
  const metrics = app.get(MetricsService);
  // The cached thread read, answered below Fastify (api processes only).
  if (config.role !== 'worker') {
    const observers = {
      200: metrics.requestObserver('GET', THREAD_ROUTE, 200),
      304: metrics.requestObserver('GET', THREAD_ROUTE, 304),
    };
    setRawAnswer(
      app.getHttpServer(),
      threadFastPath(app.get(ThreadCache), app.get(SitesService), {
        headers,
        cacheHeaders: (siteId, articleId) =>
          edgeCacheHeaders(config.http.edgeCache, siteId, [articleId]),
        allowsOrigin: (site, origin) => corsPolicy.allows(site, origin),
        closing: () => closing,
        observe: (status, seconds) => observers[status](seconds),
      }),
    );
  }
  await app.register(cors, {
    delegator: (request: FastifyRequest) => corsPolicy.optionsFor(request),
  });

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (config.role === 'worker' && !WORKER_PATHS.test(request.url)) {
      // A worker serves only health and metrics.
      sendProblem(
        request,
        reply,
        new NotFoundError('This process runs the worker role only.'),
        logger,
      );
      return reply;
    }
    const method = request.method;
    if (method === 'DELETE') emptyBodyIsNoBody(request);
    if (
      (method === 'POST' || method === 'PUT' || method === 'PATCH') &&
      request.url.startsWith('/v1/') &&
      !RAW_BODY_PATHS.test(request.url)
    ) {
      const type = request.headers['content-type'];
      const form = typeof type === 'string' && FORM_TYPE.test(type) && FORM_PATHS.test(request.url);
      if (!form && (typeof type !== 'string' || !JSON_TYPE.test(type))) {
        const error = Object.assign(new Error('Unsupported media type'), {
          statusCode: 415,
          code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        });
        sendProblem(request, reply, error, logger);
        return reply;
      }
    }
    return undefined;
  });

  // Deeply nested JSON would overflow recursive transformers, and text with lone surrogates
  // breaks validators that count bytes with encodeURI: refuse both before validation.
  fastify.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.body === undefined) return undefined;
    const problem = jsonDeeperThan(request.body)
      ? { field: 'body', message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` }
      : illFormedBodyField(request.body);
    if (problem) {
      sendProblem(request, reply, new ValidationFailedError([problem]), logger);
      return reply;
    }
    return undefined;
  });

  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  const document = createOpenApiDocument(app);
  if (options.swaggerUi) {
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  } else {
    fastify.get('/docs-json', () => Promise.resolve(document));
  }
}

export { createOpenApiDocument };

/**
 * A DELETE sent with `Content-Type: application/json` and no body (what many HTTP clients do)
 * is a DELETE without a body, not a JSON parse error: the type header goes, so no parser runs.
 */
function emptyBodyIsNoBody(request: FastifyRequest): void {
  const { headers } = request;
  if (
    headers['content-type'] !== undefined &&
    headers['transfer-encoding'] === undefined &&
    (headers['content-length'] === undefined || headers['content-length'] === '0')
  ) {
    delete headers['content-type'];
  }
}

function illFormedBodyField(body: unknown): { field: string; message: string } | null {
  const field = illFormedField(body);
  return field === null
    ? null
    : { field, message: `${field} must be well-formed Unicode text (no lone surrogates)` };
}
