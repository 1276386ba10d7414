import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A handler that may answer a request at Node's `http.Server` level, below Fastify. It returns
 * false at once for a request it does not take (Fastify handles it). Returning true, it owns
 * the request: it answers it, or hands it to Fastify later by calling `fallback` (only for a
 * request without a body, which nothing has read: Fastify then sees it as it arrived).
 */
export type RawAnswer = (
  req: IncomingMessage,
  res: ServerResponse,
  fallback: () => void,
) => boolean;

type FastifyHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The options Fastify hands its server factory (its defaults already applied). */
interface ServerFactoryOptions {
  http?: object | null;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number | null;
}

/** Where `setupApp` puts the raw answer once Nest has built the services it needs. */
interface Slot {
  answer: RawAnswer | null;
}

const slots = new WeakMap<Server, Slot>();

/**
 * Fastify's `serverFactory`: the same HTTP/1.1 server Fastify would create (its keep-alive,
 * request and connection timeouts), whose request listener first offers each request to the
 * raw answer installed with `setRawAnswer`; until one is installed, and for every request it
 * does not take, Fastify's handler runs as it would without this factory.
 */
export function rawServerFactory() {
  return (handler: FastifyHandler, options: ServerFactoryOptions): Server => {
    const slot: Slot = { answer: null };
    const server = createServer(options.http ?? {}, (req, res) => {
      const answer = slot.answer;
      let taken = false;
      if (answer !== null) {
        try {
          taken = answer(req, res, () => handler(req, res));
        } catch {
          taken = res.headersSent; // a bug in the raw answer: Fastify answers if it still can
        }
      }
      if (!taken) handler(req, res);
    });
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    server.setTimeout(options.connectionTimeout ?? 0);
    // Zero means Node's default (no limit), as in Fastify's own server.
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    slots.set(server, slot);
    return server;
  };
}

/**
 * Installs the raw answer of a server made by `rawServerFactory` (null removes it). False when
 * the server was not made by it (nothing installed: Fastify answers everything).
 */
export function setRawAnswer(server: unknown, answer: RawAnswer | null): boolean {
  const slot = slots.get(server as Server);
  if (!slot) return false;
  slot.answer = answer;
  return true;
}
