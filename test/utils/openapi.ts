import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export interface Operation {
  method: (typeof HTTP_METHODS)[number];
  path: string;
  operation: OperationObject;
  /** `operationId`, or `METHOD path` when it has none. */
  name: string;
}

export function operationsOf(document: OpenAPIObject): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) {
        out.push({
          method,
          path,
          operation,
          name: operation.operationId ?? `${method.toUpperCase()} ${path}`,
        });
      }
    }
  }
  return out;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * OpenAPI 3.0 schema → JSON Schema for Ajv: `nullable` becomes `anyOf [schema, null]` (so that a
 * nullable `allOf: [$ref]` accepts null), `$ref`s point into the document, and — the strict
 * part — an object schema with `properties` and no `additionalProperties` gets
 * `additionalProperties: false`, so a field the document does not declare fails validation.
 */
function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = `openapi.json${value}`;
    else if (key === 'example' || key === 'nullable') continue;
    else if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value))
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]),
      );
    else out[key] = toJsonSchema(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return schema.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

export interface CheckedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body text ('' when none). */
  text: string;
}

/** Checks real responses against the OpenAPI document served at /docs-json. */
export class ContractChecker {
  readonly operations: Operation[];
  /** `operationId status` of every checked response. */
  readonly seen = new Set<string>();
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: Array<{ regex: RegExp; op: Operation }>;

  constructor(readonly document: OpenAPIObject) {
    this.operations = operationsOf(document);
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(
      { components: toJsonSchema(document.components as unknown as Json) },
      'openapi.json',
    );
    this.routes = this.operations.map((op) => ({
      regex: new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      op,
    }));
  }

  /** The operation a concrete request maps to (e.g. GET /v1/comments/1234 → getReceiptStatus). */
  find(method: string, url: string): Operation {
    const path = url.split('?')[0];
    const matches = this.routes.filter(
      (r) => r.op.method === method.toLowerCase() && r.regex.test(path),
    );
    // Literal segments win over parameters (…/comments/stream before …/comments/{id}).
    matches.sort((a, b) => a.op.path.split('{').length - b.op.path.split('{').length);
    if (!matches.length) throw new Error(`No operation in the document for ${method} ${path}`);
    return matches[0].op;
  }

  /** Throws, naming the operation, when the response is not what the document declares. */
  check(method: string, url: string, res: CheckedResponse): Operation {
    const op = this.find(method, url);
    const where = `${op.name} (${method.toUpperCase()} ${url}) answered ${res.status}`;
    const declared = op.operation.responses[String(res.status)];
    if (!declared) throw new Error(`${where}: that status is not declared`);
    if ('$ref' in declared) throw new Error(`${where}: $ref responses are not used here`);
    this.seen.add(`${op.name} ${res.status}`);
    const content = declared.content;
    if (!content || res.status === 204 || res.status === 304) {
      if (res.text !== '') throw new Error(`${where}: a body where the document declares none`);
      return op;
    }
    const type = String(res.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const media = content[type];
    if (!media) {
      throw new Error(
        `${where}: content-type ${type}, declared ${Object.keys(content).join(', ')}`,
      );
    }
    // A stream, or a page for a browser (e.g. a form's answer): no JSON body to validate.
    if (type === 'text/event-stream' || type === 'text/html') return op;
    const key = `${op.name} ${res.status} ${type}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(media.schema as unknown as Json) as object);
      this.validators.set(key, validate);
    }
    const body: unknown = JSON.parse(res.text);
    if (!validate(body)) {
      throw new Error(
        `${where}: the body does not match the document: ${this.ajv.errorsText(validate.errors)}\n` +
          JSON.stringify(body).slice(0, 2000),
      );
    }
    return op;
  }
}
