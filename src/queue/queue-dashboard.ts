// The BullMQ dashboard (bull-board) at /admin/queues, for admins. Mounted from main.ts only:
// @bull-board/fastify needs @fastify/static, which Jest on Node 20 cannot load (TOOLCHAIN.md).
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokensService } from '../auth/tokens.service.js';
import { QUEUES } from './queue.constants.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Bearer, or Basic with the token as password so a browser can sign in with its own prompt. */
export function tokenFromAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}

export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const queues = Object.values(QUEUES).map((name) => app.get<Queue>(getQueueToken(name)));
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: board });
  const tokens = app.get(TokensService);
  const fastify = app.getHttpAdapter().getInstance();

  await fastify.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = tokenFromAuthorization(request.headers.authorization);
      const principal = token ? await tokens.authenticate(token) : null;
      if (principal?.role !== 'admin') {
        await reply
          .status(401)
          .header('www-authenticate', 'Basic realm="Queue dashboard", charset="UTF-8"')
          .header('content-type', 'application/problem+json; charset=utf-8')
          .send(
            JSON.stringify({
              type: '/problems/unauthorized',
              title: 'Authentication required',
              status: 401,
              detail: 'Sign in with an admin token (as the password, or as a Bearer token).',
            }),
          );
        return reply;
      }
      return undefined;
    });
    // The dashboard's page runs inline scripts; relax the API's strict CSP here only.
    scope.addHook(
      'onSend',
      async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        reply.header(
          'content-security-policy',
          "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; img-src 'self' data:; font-src 'self' data: https:; frame-ancestors 'none'",
        );
        return payload;
      },
    );
    await scope.register(board.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
  });
}
