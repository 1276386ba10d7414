import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyAdapter } from '@nestjs/platform-fastify';

export const REQUEST_ID_HEADER = 'x-request-id';
const GIVEN_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is a plausible one (a proxy's, say), else a fresh UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID();
}

/**
 * Request ids are Fastify's: `request.id` is set before any hook, @fastify/middie copies it to
 * the raw request, and pino-http then takes it as is (it only generates one when `req.id` is
 * missing, so its own `genReqId` never runs here). One id for the request log line, the lines
 * logged while handling it, the problem filter and the response header.
 *
 * The header is set from the adapter's first request hook, ahead of every other hook, so a
 * response answered early (a 415, an unroutable target) carries it too; on the Node.js
 * response, so SSE streams carry it as well. The cached thread read, answered below Fastify
 * (thread-fast-path.ts), sets it itself with `requestId`.
 */
export function withRequestIds(adapter: FastifyAdapter): FastifyAdapter {
  adapter.getInstance().setGenReqId(requestId);
  adapter.setOnRequestHook((request, reply, done) => {
    reply.raw.setHeader(REQUEST_ID_HEADER, request.id);
    done();
  });
  return adapter;
}
