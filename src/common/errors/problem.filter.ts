import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.js';

/** Every error a request meets becomes RFC 9457 problem+json; 5xx are logged once, with the request id. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext(ProblemFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    sendProblem(
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      exception,
      this.logger,
    );
  }
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  exception: unknown,
  logger: Pick<PinoLogger, 'error'>,
): void {
  const problem = toProblem(exception);
  if (problem.unexpected) {
    logger.error({ err: exception, reqId: request.id }, 'Unhandled error');
  }
  if (reply.sent) return;
  void reply
    .status(problem.body.status)
    .headers(problem.headers)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...problem.body, instance: request.url.split('?')[0] }));
}
