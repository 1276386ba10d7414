import { HttpException } from '@nestjs/common';
import { DomainError } from './domain.errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export interface Problem {
  body: ProblemDetails;
  headers: Record<string, string>;
  /** True when the error is ours to fix (5xx): log it, say nothing internal. */
  unexpected: boolean;
}

/**
 * Every status the service answers with: its type slug, its title and the detail given when
 * nothing more specific (and safe) is known, so that every problem has a `detail` (docs/api.md).
 */
const TITLES: Record<number, [slug: string, title: string, detail: string]> = {
  400: ['bad-request', 'Bad request', 'The request is not valid.'],
  401: [
    'unauthorized',
    'Authentication required',
    'Send a valid token as Authorization: Bearer <token>.',
  ],
  403: ['forbidden', 'Not allowed', 'This request is not allowed.'],
  404: ['not-found', 'Not found', 'There is nothing at this address.'],
  405: ['method-not-allowed', 'Method not allowed', 'This method is not allowed here.'],
  406: ['not-acceptable', 'Not acceptable', 'No acceptable representation is available.'],
  408: ['request-timeout', 'Request timeout', 'The request took too long to arrive.'],
  409: ['conflict', 'Conflict', 'The request conflicts with the current state.'],
  413: ['payload-too-large', 'Request body too large', 'The request body is too large.'],
  414: ['uri-too-long', 'URI too long', 'The URL is too long.'],
  415: [
    'unsupported-media-type',
    'Unsupported media type',
    'Send the request body as application/json.',
  ],
  422: ['unprocessable', 'Unprocessable request', 'The request cannot be processed.'],
  429: ['rate-limited', 'Too many requests', 'Too many requests; try again later.'],
  431: ['headers-too-large', 'Request headers too large', 'The request headers are too large.'],
  500: [
    'internal',
    'Internal server error',
    'An unexpected error occurred. It was logged on the server; try again later.',
  ],
  503: ['unavailable', 'Service unavailable', 'The service is unavailable; try again later.'],
};

/** Fastify's own errors whose messages are safe and helpful to show, with a better wording. */
const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; send a JSON object.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than 64 KiB.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send the request body as application/json.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body.',
  FST_ERR_CTP_INVALID_TYPE: 'The Content-Type header is not valid.',
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment is too long.',
  FST_ERR_BAD_URL: 'The URL is not valid.',
};

export function problemType(slug: string): string {
  return `/problems/${slug}`;
}

function fromStatus(status: number, detail?: string): ProblemDetails {
  const [slug, title, fallback] = TITLES[status] ?? (status >= 500 ? TITLES[500] : TITLES[400]);
  // A 5xx never carries a specific detail: whatever went wrong is internal.
  return { type: problemType(slug), title, status, detail: (status < 500 && detail) || fallback };
}

/** Maps anything thrown during a request to a problem document. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return {
      body: {
        type: problemType(error.slug),
        title: error.title,
        status: error.status,
        detail: error.message || fromStatus(error.status).detail,
        ...error.extensions(),
      },
      headers: error.headers(),
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Fastify's own errors (bad JSON, body too large, …) arrive wrapped by Nest.
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && FASTIFY_DETAILS[code] && status < 500) {
      return { body: fromStatus(status, FASTIFY_DETAILS[code]), headers: {}, unexpected: false };
    }
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? response.message
        : undefined;
    const detail =
      status < 500 && typeof message === 'string'
        ? message
        : status < 500 && Array.isArray(message)
          ? message.join('; ')
          : undefined;
    return { body: fromStatus(status, detail), headers: {}, unexpected: status >= 500 };
  }
  if (isFastifyError(error) && error.statusCode < 500) {
    const detail = FASTIFY_DETAILS[error.code ?? ''] ?? undefined;
    return { body: fromStatus(error.statusCode, detail), headers: {}, unexpected: false };
  }
  return { body: fromStatus(500), headers: {}, unexpected: true };
}

interface FastifyLikeError {
  statusCode: number;
  code?: string;
}

function isFastifyError(error: unknown): error is FastifyLikeError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { statusCode?: unknown }).statusCode === 'number'
  );
}
