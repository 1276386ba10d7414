import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ValidationFailedError } from '../errors/domain.errors.js';
import { createValidationPipe } from './validation.js';

const optionalBody = createParamDecorator((_: unknown, ctx: ExecutionContext): object => {
  const body = ctx.switchToHttp().getRequest<FastifyRequest>().body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationFailedError([{ field: 'body', message: 'the body must be a JSON object' }]);
  }
  return body;
});

/**
 * A JSON body that may be left out (a DELETE with optional fields): no body reads as `{}`, and
 * what is sent is validated against the parameter's DTO like any `@Body()` (unknown fields
 * refused). Declare it for OpenAPI with `@ApiBody({ type: Dto, required: false })`.
 */
export const OptionalBody = (): ParameterDecorator =>
  optionalBody(createValidationPipe({ validateCustomDecorators: true }));
