import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
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

export function loggerParams(config: AppConfig, stream?: DestinationStream): Params {
  const options: Options = {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id =
        typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
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
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
    base: { role: config.role },
  };
  return { pinoHttp: stream ? [options, stream] : options };
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
