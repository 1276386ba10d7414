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
import { bearerOrBasicToken } from '../common/http/bearer.js';
import { QUEUES } from './queue.constants.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const queues = Object.values(QUEUES).map((name) => app.get<Queue>(getQueueToken(name)));
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: board });
  const tokens = app.get(TokensService);
  const fastify = app.getHttpAdapter().getInstance();

  await fastify.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = bearerOrBasicToken(request.headers.authorization);
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
