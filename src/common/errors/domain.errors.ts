/**
 * Domain errors: services throw these, never HttpException. One global filter turns them into
 * RFC 9457 problem details (see problem.ts).
 */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Short slug; the problem `type` is `/problems/<slug>`. */
  abstract readonly slug: string;
  abstract readonly title: string;
  /** Extra members for the problem body (e.g. `errors`). */
  extensions(): Record<string, unknown> {
    return {};
  }
  /** Extra response headers (e.g. Retry-After). */
  headers(): Record<string, string> {
    return {};
  }
}

/**
 * A domain error class with a fixed status, slug and title, and a detail made from the
 * constructor's arguments: `class NotAppealableError extends definedError(409, …) {}`.
 */
export function definedError<A extends unknown[]>(
  status: number,
  slug: string,
  title: string,
  detail: (...args: A) => string,
) {
  return class extends DomainError {
    readonly status = status;
    readonly slug = slug;
    readonly title = title;
    constructor(...args: A) {
      super(detail(...args));
    }
  };
}

export class ValidationFailedError extends DomainError {
  readonly status = 400;
  readonly slug = 'validation-error';
  readonly title = 'Your request is not valid';
  constructor(
    readonly errors: FieldError[],
    detail = 'One or more fields are invalid.',
  ) {
    super(detail);
  }
  override extensions(): Record<string, unknown> {
    return { errors: this.errors };
  }
}

export class BadCursorError extends definedError(
  400,
  'bad-cursor',
  'The cursor is not valid',
  () => 'The cursor is malformed or belongs to another listing; start again without it.',
) {}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly slug = 'unauthorized';
  readonly title = 'Authentication required';
  constructor(detail = 'Send a valid "Authorization: Bearer <token>" header.') {
    super(detail);
  }
  override headers(): Record<string, string> {
    return { 'www-authenticate': 'Bearer' };
  }
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly slug = 'forbidden';
  readonly title = 'Not allowed';
}

export class CommentsClosedError extends definedError(
  403,
  'comments-closed',
  'Comments are closed',
  () => 'Comments are closed on this article.',
) {}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly slug: string = 'not-found';
  readonly title = 'Not found';
}

export class SiteNotFoundError extends NotFoundError {
  constructor(siteId: string) {
    super(`There is no site "${siteId}".`);
  }
}

export class CommentNotFoundError extends NotFoundError {
  constructor() {
    super('There is no such comment.');
  }
}

export class ParentNotFoundError extends NotFoundError {
  override readonly slug = 'parent-not-found';
  constructor() {
    super('The comment you are replying to does not exist or cannot be answered.');
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly slug: string = 'conflict';
  readonly title: string = 'Conflict';
}

export class IdempotencyConflictError extends ConflictError {
  override readonly slug = 'idempotency-key-reused';
  override readonly title = 'Idempotency-Key reused with a different request';
  constructor() {
    super('This Idempotency-Key was already used with a different body.');
  }
}

export class IllegalTransitionError extends ConflictError {
  override readonly slug = 'illegal-transition';
  override readonly title = 'Illegal status transition';
  constructor(
    readonly from: string,
    readonly action: string,
  ) {
    super(`A comment that is ${from} cannot be moved by "${action}".`);
  }
}

export class ReplyTooDeepError extends DomainError {
  readonly status = 422;
  readonly slug = 'reply-too-deep';
  readonly title = 'Reply too deep';
  constructor(maxDepth: number) {
    super(`Replies may be nested at most ${maxDepth} levels deep on this site.`);
  }
}

export class RateLimitedError extends DomainError {
  readonly status = 429;
  readonly slug = 'rate-limited';
  readonly title = 'Too many requests';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} seconds.`);
  }
  override headers(): Record<string, string> {
    return { 'retry-after': String(this.retryAfterSeconds) };
  }
}

export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
  readonly slug = 'unavailable';
  readonly title = 'Service unavailable';
  constructor(
    detail: string,
    readonly checks: Record<string, unknown> = {},
  ) {
    super(detail);
  }
  override extensions(): Record<string, unknown> {
    return { checks: this.checks };
  }
}
