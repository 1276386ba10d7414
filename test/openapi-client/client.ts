/**
 * A client as another team would write it: types generated from /docs-json by
 * openapi-typescript (into ./generated, by test/e2e/openapi-client.e2e-spec.ts) and
 * openapi-fetch. Type-checked with this folder's tsconfig, then run against the app.
 */
import createClient from 'openapi-fetch';
import type { components, operations, paths } from './generated/schema.js';

type Problem = components['schemas']['ProblemDto'];

/** Every operation's success body is a real type (never `never` or `unknown`). */
type SuccessBody<Op> = Op extends { responses: infer R }
  ? {
      [S in keyof R & (200 | 201 | 202 | 204)]: R[S] extends { content: infer C }
        ? C[keyof C]
        : 'no body';
    }[keyof R & (200 | 201 | 202 | 204)]
  : never;
type Untyped = {
  [K in keyof operations]: [SuccessBody<operations[K]>] extends [never]
    ? K
    : unknown extends SuccessBody<operations[K]>
      ? K
      : never;
}[keyof operations];
// Compile error naming the operation when one has no typed success body.
export const everyOperationTyped: [Untyped] extends [never] ? true : Untyped = true;

/** Every error answer of submit is typed as the problem document. */
type SubmitErrors = operations['submitComment']['responses'][
  400 | 404 | 409 | 413 | 415 | 422 | 429];
export const submitErrorsTyped: SubmitErrors extends {
  content: { 'application/problem+json': Problem };
}
  ? true
  : false = true;

export interface ClientRun {
  submitted: { id: string; status: 'pending' };
  reply: { id: string };
  threadCount: number;
  notModified: boolean;
  problem: Problem;
  moderatorItem: string;
}

export async function runClient(baseUrl: string, adminToken: string): Promise<ClientRun> {
  const client = createClient<paths>({ baseUrl });
  const admin = { headers: { Authorization: `Bearer ${adminToken}` } };
  const where = { path: { siteId: 'default', articleId: 'generated-client' } };

  const first = await client.POST('/v1/sites/{siteId}/articles/{articleId}/comments', {
    params: where,
    body: { name: 'Ann', email: 'ann@example.com', body: 'From a generated client' },
  });
  if (!first.data) throw new Error(`submit failed: ${JSON.stringify(first.error)}`);
  const id: string = first.data.id;
  const status: 'pending' = first.data.status;

  const decided = await client.POST('/v1/moderation/comments/{id}/decision', {
    ...admin,
    params: { path: { id } },
    body: { action: 'approve' },
  });
  const deadline = Date.now() + 10_000;
  while (decided.response.status === 409 && Date.now() < deadline) {
    // Still pending (spam and moderation run after the 202): try again shortly.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await client.POST('/v1/moderation/comments/{id}/decision', {
      ...admin,
      params: { path: { id } },
      body: { action: 'approve' },
    });
    if (again.data) break;
  }

  // A UUID parentId is accepted by the types (it used to be typed as an object).
  const reply = await client.POST('/v1/sites/{siteId}/articles/{articleId}/comments', {
    params: where,
    body: { name: 'Bo', email: 'bo@example.com', body: 'A reply', parentId: id },
  });
  if (!reply.data) throw new Error(`reply failed: ${JSON.stringify(reply.error)}`);

  const thread = await client.GET('/v1/sites/{siteId}/articles/{articleId}/comments', {
    params: { ...where, query: { limit: 50 } },
  });
  const count: number = thread.data?.count ?? -1;
  const etag = thread.response.headers.get('etag') ?? '';
  const cached = await client.GET('/v1/sites/{siteId}/articles/{articleId}/comments', {
    params: { ...where, header: { 'If-None-Match': etag } },
  });

  const bad = await client.POST('/v1/sites/{siteId}/articles/{articleId}/comments', {
    params: where,
    body: { name: 'Cy', email: 'not an address', body: 'x' },
  });
  if (!bad.error) throw new Error('an invalid email was accepted');
  const problem: Problem = bad.error;

  const item = await client.GET('/v1/moderation/comments/{id}', {
    ...admin,
    params: { path: { id } },
  });
  return {
    submitted: { id, status },
    reply: { id: reply.data.id },
    threadCount: count,
    notModified: cached.response.status === 304,
    problem,
    moderatorItem: item.data?.status ?? 'none',
  };
}
