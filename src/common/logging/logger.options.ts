import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Options } from 'pino-http';
import type { AppConfig } from '../../config/app.config.js';

/**
 * Paths that must never reach a log line. We do not log bodies or client addresses at all;
 * redaction is the second line of defence should someone log an object carelessly.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-forwarded-for"]',
  'req.headers["x-real-ip"]',
  'req.headers["idempotency-key"]',
  'req.remoteAddress',
  'email',
  'ip',
  'body',
  'name',
  'website',
  'token',
  '*.email',
  '*.ip',
  '*.body',
  '*.name',
  '*.website',
  '*.token',
  '*.authorization',
];

/**
 * Where nestjs-pino's middleware runs: every path. Its default, `{/*splat}`, leaves the leading
 * slash out on purpose (for global prefixes), but @fastify/middie 9.3's `use()` adds one back,
 * giving `/{/*splat}`, which matches `/` alone: the middleware never ran for any other request.
 * This app sets no global prefix, so the plain wildcard is the same set of routes.
 */
const ALL_ROUTES = [{ path: '/{*splat}', method: RequestMethod.ALL }];

export function loggerParams(config: AppConfig, stream?: DestinationStream): Params {
  const options: Options = {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // No `genReqId`: the id is Fastify's `request.id` (see request-id.ts), which pino-http reuses.
    // Only what operators need: never query strings (receipts), bodies or addresses.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: safeError,
    },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    // `req.url` is stripped of the middleware's mount path while it runs; the request's is kept.
    autoLogging: { ignore: (req) => requestPath(req).startsWith('/health') },
    base: { role: config.role },
  };
  const destination = stream ?? (config.logFormat === 'pretty' ? prettyStream() : undefined);
  return { pinoHttp: destination ? [options, destination] : options, forRoutes: ALL_ROUTES };
}

/**
 * Development logs for people: one coloured line per entry (pino-pretty, in process: no worker
 * thread), with the same redaction. Production and pipes get JSON.
 */
export function prettyStream(destination?: NodeJS.WritableStream): DestinationStream {
  return pinoPretty({
    ...(destination ? { destination } : {}),
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,role,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
    singleLine: true,
  });
}

function requestPath(req: IncomingMessage): string {
  return (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
}

/**
 * Errors are logged by type, code, message and stack only: a failed query's parameters (or a
 * driver's "Key (…)=(…)" detail) could carry a reader's data.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    return {
      type: typeof error,
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message } : {}),
    };
  }
  const { code } = error as { code?: unknown };
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    stack: error.stack,
  };
}
