import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  getSchemaPath,
  type OpenAPIObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
} from '@nestjs/swagger';
import { ARTICLE_ID_PATTERN, SITE_ID_PATTERN } from '../http/identifiers.js';
import { PROBLEM_MEDIA_TYPE, ProblemDto } from './problem.dto.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const BODY_METHODS = new Set<string>(['post', 'put', 'patch']);

const EMPTY_JSON_BODY = {
  required: true,
  description: 'No field is read: send `{}` (a JSON body is required, else 415)',
  content: { 'application/json': { schema: { type: 'object' as const } } },
};

const SHARED_PROBLEMS: Record<string, string> = {
  400: 'The request is not valid (`/problems/validation-error` lists the fields)',
  413: 'The request body is larger than 64 KiB',
  415: 'The request body is not application/json',
  500: 'An unexpected error (logged on the server; nothing internal is said)',
  503: 'Unavailable (a dependency is down, or the process is shutting down)',
};

/**
 * The OpenAPI 3.0 document served at /docs-json: what the controllers declare (`@ApiRoute`),
 * plus what every operation shares, added here in one place:
 * - 500 and 503 problems on every operation (any route may fail, and a closing process
 *   answers 503);
 * - 400 on operations with parameters or a body (validation), 413 and 415 on those with a body;
 * - `security: []` on operations without `@Auth` (public: no token needed);
 * - a problem+json body on any error response declared without one;
 * - the bearer scheme as an opaque token (not a JWT).
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Comments service')
    .setDescription(
      'Self-hosted, moderated comments for news sites. Errors are RFC 9457 problem+json ' +
        '(`application/problem+json`, schema `ProblemDto`). Operations marked with no security ' +
        'need no token; the others take `Authorization: Bearer <token>`.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This service')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description:
        'An opaque API token (the bootstrap ADMIN_TOKEN, or one made with POST /v1/admin/tokens). Not a JWT.',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
  return completeDocument(document);
}

/** The path identifiers' formats (docs/api.md), which Nest cannot read from the pipes. */
const PATH_PARAMETERS: Record<string, { pattern?: string; format?: string }> = {
  siteId: { pattern: SITE_ID_PATTERN.source },
  articleId: { pattern: ARTICLE_ID_PATTERN.source },
  id: { format: 'uuid' },
};

function describePathParameters(parameters: Array<ParameterObject | ReferenceObject>): void {
  for (const parameter of parameters) {
    if ('$ref' in parameter || parameter.in !== 'path') continue;
    const known = PATH_PARAMETERS[parameter.name];
    const schema = parameter.schema;
    if (known && schema && !('$ref' in schema)) Object.assign(schema, known);
  }
}

function problemResponse(description: string): ResponseObject {
  return {
    description,
    content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
  };
}

/** Adds the shared answers and fixes what Nest's generator cannot say. Exported for tests. */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  // Problem types add members of their own (RFC 9457 extensions).
  const problem = document.components?.schemas?.ProblemDto;
  if (problem && !('$ref' in problem)) problem.additionalProperties = true;
  const bearer = document.components?.securitySchemes?.bearer;
  if (bearer && 'bearerFormat' in bearer) delete bearer.bearerFormat;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      // Every POST, PUT and PATCH under /v1 must send JSON (else 415), even one that reads no
      // field: say so, so that generated clients send `{}`.
      if (BODY_METHODS.has(method) && path.startsWith('/v1/') && !operation.requestBody) {
        operation.requestBody = EMPTY_JSON_BODY;
      }
      if (!operation.security) operation.security = [];
      describePathParameters(operation.parameters ?? []);
      const responses = (operation.responses ??= {});
      const hasParameters = (operation.parameters ?? []).some(
        (p) => 'in' in p && (p.in === 'path' || p.in === 'query'),
      );
      const shared = [500, 503];
      if (hasParameters || operation.requestBody) shared.push(400);
      if (operation.requestBody) shared.push(413, 415);
      for (const status of shared) {
        responses[status] ??= problemResponse(SHARED_PROBLEMS[status]);
      }
      for (const [status, response] of Object.entries(responses)) {
        if (response && Number(status) >= 400 && !('$ref' in response) && !response.content) {
          responses[status] = problemResponse(response.description);
        }
      }
    }
  }
  return document;
}
