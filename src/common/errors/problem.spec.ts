// Over 300 lines on purpose: one table of cases per kind of error the one filter maps
// (domain errors, Nest exceptions, validation, Fastify's own); splitting it would scatter them.
import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
} from '@nestjs/common';
import {
  BadCursorError,
  CommentNotFoundError,
  ForbiddenError,
  IdempotencyConflictError,
  IllegalTransitionError,
  ParentNotFoundError,
  RateLimitedError,
  ReplyTooDeepError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationFailedError,
} from './domain.errors.js';
import { toProblem } from './problem.js';

const INTERNAL = {
  type: '/problems/internal',
  title: 'Internal server error',
  status: 500,
  detail: expect.stringContaining('logged'),
};

function fastifyCause(code: string, statusCode: number, message = 'fastify says no'): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

describe('toProblem', () => {
  describe('domain errors', () => {
    it('keeps status, type, title and detail', () => {
      expect(toProblem(new CommentNotFoundError())).toEqual({
        body: {
          type: '/problems/not-found',
          title: 'Not found',
          status: 404,
          detail: 'There is no such comment.',
        },
        headers: {},
        unexpected: false,
      });
    });

    it.each([
      [new ParentNotFoundError(), 404, '/problems/parent-not-found'],
      [new IdempotencyConflictError(), 409, '/problems/idempotency-key-reused'],
      [new IllegalTransitionError('rejected', 'spam'), 409, '/problems/illegal-transition'],
      [new ReplyTooDeepError(5), 422, '/problems/reply-too-deep'],
      [new BadCursorError(), 400, '/problems/bad-cursor'],
    ])('maps %p to %i %s', (error, status, type) => {
      const { body, unexpected } = toProblem(error);
      expect(body.status).toBe(status);
      expect(body.type).toBe(type);
      expect(body.title).toBe(error.title);
      expect(body.detail).toBe(error.message);
      expect(unexpected).toBe(false);
    });

    it('carries the field errors of a validation error', () => {
      const errors = [
        { field: 'email', message: 'email must be a valid email address' },
        { field: 'status', message: 'is not allowed' },
      ];
      const { body } = toProblem(new ValidationFailedError(errors));
      expect(body).toEqual({
        type: '/problems/validation-error',
        title: 'Your request is not valid',
        status: 400,
        detail: 'One or more fields are invalid.',
        errors,
      });
    });

    it('gives a 429 a Retry-After header in seconds', () => {
      const problem = toProblem(new RateLimitedError(42));
      expect(problem.body.status).toBe(429);
      expect(problem.body.type).toBe('/problems/rate-limited');
      expect(problem.headers).toEqual({ 'retry-after': '42' });
    });

    it('asks for a bearer token on a 401', () => {
      const problem = toProblem(new UnauthorizedError());
      expect(problem.body.status).toBe(401);
      expect(problem.headers).toEqual({ 'www-authenticate': 'Bearer' });
    });

    it('carries the readiness checks of a 503', () => {
      const { body, unexpected } = toProblem(
        new ServiceUnavailableError('Not ready', { database: 'down', redis: 'up' }),
      );
      expect(body).toMatchObject({ status: 503, checks: { database: 'down', redis: 'up' } });
      expect(unexpected).toBe(false);
    });

    it('has no errors member outside validation', () => {
      expect(toProblem(new CommentNotFoundError()).body).not.toHaveProperty('errors');
    });
  });

  describe('unknown errors', () => {
    const secret = 'connect ECONNREFUSED 10.0.0.5:5432 password=hunter2 SELECT * FROM comments';

    it.each([
      ['an Error', new Error(secret)],
      ['a TypeError', new TypeError(secret)],
      ['a string', secret],
      ['an object', { message: secret }],
      ['an object with a 5xx statusCode', { statusCode: 502, message: secret, code: 'E_UPSTREAM' }],
      ['null', null],
      ['undefined', undefined],
    ])('turns %s into a 500 that says nothing internal', (_kind, error) => {
      const problem = toProblem(error);
      expect(problem.body).toEqual(INTERNAL);
      expect(problem.headers).toEqual({});
      expect(problem.unexpected).toBe(true);
      const json = JSON.stringify(problem.body);
      for (const leak of ['hunter2', '10.0.0.5', 'ECONNREFUSED', 'SELECT', 'stack', 'at ']) {
        expect(json).not.toContain(leak);
      }
    });

    it('does not include the stack of an error', () => {
      const error = new Error('boom');
      const json = JSON.stringify(toProblem(error).body);
      expect(json).not.toContain('boom');
      const frame = (error.stack ?? '').split('\n').at(1)?.trim() ?? '';
      expect(frame).toMatch(/^at /);
      expect(json).not.toContain(frame);
    });
  });

  describe('HttpException', () => {
    it('gives the friendly detail for a wrapped Fastify bad-JSON error', () => {
      const error = new HttpException('x', 400, {
        cause: fastifyCause(
          'FST_ERR_CTP_INVALID_JSON_BODY',
          400,
          'Unexpected token } in JSON at position 7',
        ),
      });
      const problem = toProblem(error);
      expect(problem.body).toEqual({
        type: '/problems/bad-request',
        title: 'Bad request',
        status: 400,
        detail: 'The request body is not valid JSON.',
      });
      expect(problem.unexpected).toBe(false);
    });

    it.each([
      ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, /empty/],
      ['FST_ERR_CTP_BODY_TOO_LARGE', 413, /64 KiB/],
      ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, /application\/json/],
    ])('gives a friendly detail for a wrapped %s', (code, status, detail) => {
      const { body } = toProblem(
        new HttpException('x', status, { cause: fastifyCause(code, status) }),
      );
      expect(body.status).toBe(status);
      expect(body.detail).toMatch(detail);
      expect(body.detail).not.toContain('fastify says no');
    });

    it('maps a 413 and a 415 to their own types', () => {
      expect(
        toProblem(
          new HttpException('x', 413, { cause: fastifyCause('FST_ERR_CTP_BODY_TOO_LARGE', 413) }),
        ).body.type,
      ).toBe('/problems/payload-too-large');
      expect(
        toProblem(
          new HttpException('x', 415, {
            cause: fastifyCause('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415),
          }),
        ).body.type,
      ).toBe('/problems/unsupported-media-type');
    });

    it('keeps the message of a 4xx Nest exception as detail', () => {
      expect(toProblem(new NotFoundException('Cannot GET /nope')).body).toEqual({
        type: '/problems/not-found',
        title: 'Not found',
        status: 404,
        detail: 'Cannot GET /nope',
      });
    });

    it('joins a list of messages', () => {
      expect(toProblem(new BadRequestException(['a is bad', 'b is bad'])).body.detail).toBe(
        'a is bad; b is bad',
      );
    });

    it('says nothing internal for a 5xx HttpException', () => {
      const problem = toProblem(new InternalServerErrorException('pool exhausted at pg.js:42'));
      expect(problem.body).toEqual(INTERNAL);
      expect(problem.unexpected).toBe(true);
    });

    it('says nothing for a 5xx even with a known Fastify cause', () => {
      const problem = toProblem(
        new HttpException('x', 500, { cause: fastifyCause('FST_ERR_CTP_INVALID_JSON_BODY', 500) }),
      );
      expect(problem.body).toEqual(INTERNAL);
      expect(problem.unexpected).toBe(true);
    });
  });

  describe('bare Fastify errors', () => {
    it('gives the friendly detail for a known code', () => {
      const { body, unexpected } = toProblem(fastifyCause('FST_ERR_CTP_INVALID_JSON_BODY', 400));
      expect(body).toEqual({
        type: '/problems/bad-request',
        title: 'Bad request',
        status: 400,
        detail: 'The request body is not valid JSON.',
      });
      expect(unexpected).toBe(false);
    });

    it('keeps the status but not the message of an unknown 4xx code', () => {
      const { body } = toProblem(
        fastifyCause('FST_ERR_SOMETHING', 405, 'internal route table dump'),
      );
      expect(body).toEqual({
        type: '/problems/method-not-allowed',
        title: 'Method not allowed',
        status: 405,
        detail: 'This method is not allowed here.',
      });
    });

    it('gives the status-line errors of the HTTP parser a detail', () => {
      // app.setup.ts answers malformed framing and oversized headers with toProblem({statusCode}).
      expect(toProblem({ statusCode: 431 }).body).toEqual({
        type: '/problems/headers-too-large',
        title: 'Request headers too large',
        status: 431,
        detail: 'The request headers are too large.',
      });
      expect(toProblem({ statusCode: 400 }).body.detail).toBe('The request is not valid.');
    });
  });

  describe('detail', () => {
    const STATUSES = [400, 401, 403, 404, 405, 406, 408, 409, 410, 413, 414, 415, 418, 422, 429];

    it.each(STATUSES)('is never missing or empty on a %i, however it arises', (status) => {
      const cases: unknown[] = [
        { statusCode: status },
        fastifyCause('FST_ERR_UNKNOWN', status),
        new HttpException({ error: 'no message member' }, status),
        new HttpException('', status),
      ];
      for (const error of cases) {
        const { body } = toProblem(error);
        expect(body.status).toBe(status);
        expect(typeof body.detail).toBe('string');
        expect(body.detail.length).toBeGreaterThan(0);
      }
    });

    it('falls back to the status detail for a domain error without a message', () => {
      expect(toProblem(new ForbiddenError()).body).toEqual({
        type: '/problems/forbidden',
        title: 'Not allowed',
        status: 403,
        detail: 'This request is not allowed.',
      });
    });

    it.each([500, 502, 503, 504])(
      'is the generic text on a %i HttpException, never its message',
      (status) => {
        const { body } = toProblem(new HttpException('pg pool at 10.0.0.5:5432 exhausted', status));
        expect(body.status).toBe(status);
        expect(body.detail.length).toBeGreaterThan(0);
        expect(body.detail).not.toContain('10.0.0.5');
        expect(body.detail).not.toContain('pool');
      },
    );

    it('says a 500 was logged, and nothing of what happened', () => {
      const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5440'), {
        code: 'ECONNREFUSED',
        address: '127.0.0.1',
        port: 5440,
      });
      const { body, unexpected } = toProblem(error);
      expect(unexpected).toBe(true);
      expect(body).toEqual(INTERNAL);
      expect(body.detail).toMatch(/logged/);
      for (const leak of ['ECONNREFUSED', '127.0.0.1', '5440', 'connect']) {
        expect(body.detail).not.toContain(leak);
      }
    });
  });
});
