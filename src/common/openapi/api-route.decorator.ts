import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  getSchemaPath,
  type HeadersObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { PROBLEM_MEDIA_TYPE, ProblemDto } from './problem.dto.js';

/** Error statuses an operation may declare; each is answered as `application/problem+json`. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const PROBLEM_DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'The request is not valid (`/problems/validation-error` lists the fields)',
  401: 'No valid bearer token',
  403: 'Not allowed (the token lacks the role or the site, or the action is closed)',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'The request body is larger than 64 KiB',
  415: 'The request body is not application/json',
  422: 'Understood but cannot be processed',
  429: 'Too many requests; retry after `Retry-After` seconds',
  503: 'Unavailable (a dependency is down, or the process is shutting down)',
};

const RETRY_AFTER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 0 } },
};

/**
 * Declares problem answers (RFC 9457, one shared `ProblemDto` schema) an operation can give.
 * `createOpenApiDocument` adds the ones every operation shares (see docs/api.md).
 */
export function ApiProblems(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status],
        content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
        ...(status === 429 ? { headers: RETRY_AFTER } : {}),
      }),
    ),
  );
}

export interface ApiRouteOptions {
  /** What the operation does, in a few words (the title in docs and generated clients). */
  summary: string;
  /** Unique, lowerCamelCase: the method name in generated clients, e.g. `listBans`. */
  operationId: string;
  description?: string;
  /** The success status (200 unless the route sets another with @HttpCode). */
  status?: 200 | 201 | 202 | 204;
  /**
   * The success body: a response DTO class (or `[Dto]` for an array), or a raw schema. Omit
   * only for 204.
   */
  type?: Type<unknown> | [Type<unknown>];
  schema?: SchemaObject;
  /** Describes the success answer (defaults to the summary). */
  description200?: string;
  /** Problem answers specific to this operation (400 for bodies and parameters, 413/415 for
   * bodies, 401/403 for @Auth routes and 500/503 are added for every operation anyway). */
  problems?: ProblemStatus[];
  /** The route answers 304 to a matching If-None-Match (and sends an ETag). */
  etag?: boolean;
  /** Server-Sent Events: the success body is `text/event-stream`. */
  eventStream?: string;
  /** Another success status the route may answer with the same body (e.g. PUT: 201 or 200). */
  alsoStatus?: 200 | 201;
}

/**
 * The OpenAPI declaration of one route: summary, operationId, the success body and the
 * problem answers. Every operation of the JSON API has one (test/e2e/openapi.e2e-spec.ts fails,
 * naming the operation, otherwise). See docs/api.md, "Declaring a route".
 */
export function ApiRoute(options: ApiRouteOptions): MethodDecorator {
  const status = options.status ?? 200;
  const description = options.description200 ?? options.summary;
  const decorators: MethodDecorator[] = [
    ApiOperation({
      summary: options.summary,
      operationId: options.operationId,
      ...(options.description ? { description: options.description } : {}),
    }),
  ];
  if (options.eventStream !== undefined) {
    decorators.push(
      ApiProduces('text/event-stream'),
      ApiResponse({
        status,
        description: options.eventStream,
        content: { 'text/event-stream': { schema: { type: 'string' } } },
      }),
      ApiHeader({
        name: 'Last-Event-ID',
        required: false,
        description: 'Resume after this event id (a sequence)',
      }),
    );
  } else if (status === 204) {
    decorators.push(ApiResponse({ status, description }));
  } else {
    const body = options.schema
      ? { schema: options.schema }
      : options.type
        ? { type: options.type }
        : undefined;
    if (!body) throw new Error(`ApiRoute ${options.operationId}: give a type or a schema`);
    const etagHeader: HeadersObject = options.etag
      ? { ETag: { description: 'Send back as If-None-Match', schema: { type: 'string' } } }
      : {};
    decorators.push(ApiResponse({ status, description, headers: etagHeader, ...body }));
    if (options.alsoStatus)
      decorators.push(ApiResponse({ status: options.alsoStatus, description, ...body }));
  }
  if (options.etag) {
    decorators.push(
      ApiHeader({ name: 'If-None-Match', required: false, description: 'A previous ETag' }),
      ApiResponse({ status: 304, description: 'Not modified: the ETag still matches' }),
    );
  }
  if (options.problems?.length) decorators.push(ApiProblems(...options.problems));
  return applyDecorators(...decorators);
}
