import type { OpenAPIObject } from '@nestjs/swagger';
import type { Response, Test } from 'supertest';
import { DataSource } from 'typeorm';
import { SubscriptionTokens } from '../../src/notifications/subscription-tokens.js';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import { listen, openSse } from '../utils/events.js';
import { ContractChecker, operationsOf } from '../utils/openapi.js';
import { createTestApp, waitFor, type TestApp } from '../utils/test-app.js';

/**
 * The OpenAPI document at /docs-json tells the whole truth (issue 15): every operation is
 * declared completely, and real answers of every operation — successes and the problems each
 * can give — validate against it (Ajv, with undeclared fields refused).
 */
const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

describe('OpenAPI contract', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  let contract: ContractChecker;

  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.http.get('/docs-json');
    document = res.body as OpenAPIObject;
    contract = new ContractChecker(document);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Sends the request and checks its answer against the document. */
  async function call(req: Test, expectedStatus: number): Promise<Response> {
    const res = await req;
    const { method, url } = req as unknown as { method: string; url: string };
    const { pathname, search } = new URL(url);
    contract.check(method, pathname + search, {
      status: res.status,
      headers: res.headers,
      text: res.text ?? '',
    });
    expect({ url: `${method} ${pathname}`, status: res.status }).toEqual({
      url: `${method} ${pathname}`,
      status: expectedStatus,
    });
    return res;
  }

  describe('every operation is declared', () => {
    it('has a summary, a unique lowerCamelCase operationId and a success answer', () => {
      const problems: string[] = [];
      const ids = new Map<string, number>();
      for (const { name, operation } of operationsOf(document)) {
        if (!operation.summary?.trim()) problems.push(`${name}: no summary`);
        const id = operation.operationId ?? '';
        // Nest's generated ids look like `Controller_method`: not declared by the route.
        if (!/^[a-z][A-Za-z0-9]*$/.test(id)) problems.push(`${name}: no declared operationId`);
        ids.set(id, (ids.get(id) ?? 0) + 1);
        const success = Object.entries(operation.responses ?? {}).filter(([status]) =>
          status.startsWith('2'),
        );
        if (!success.length) problems.push(`${name}: no success answer`);
        for (const [status, response] of success) {
          if (status !== '204' && response && !('$ref' in response) && !response.content)
            problems.push(`${name}: ${status} declares no body`);
        }
        if (!operation.security) problems.push(`${name}: security not declared`);
      }
      for (const [id, count] of ids) if (count > 1) problems.push(`${id}: used ${count} times`);
      expect(problems).toEqual([]);
    });

    it('answers every error as application/problem+json with the one shared schema', () => {
      const problems: string[] = [];
      for (const { name, operation } of operationsOf(document)) {
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (!response || Number(status) < 400) continue;
          const schema =
            '$ref' in response ? undefined : response.content?.['application/problem+json']?.schema;
          if (!schema || !('$ref' in schema) || schema.$ref !== '#/components/schemas/ProblemDto')
            problems.push(`${name} ${status}`);
        }
        for (const status of ['500', '503'])
          if (!operation.responses?.[status]) problems.push(`${name}: no ${status}`);
        if (operation.requestBody)
          for (const status of ['400', '413', '415'])
            if (!operation.responses?.[status]) problems.push(`${name}: no ${status}`);
      }
      expect(problems).toEqual([]);
    });

    it('declares nullable and typed fields (no untyped objects from `T | null` unions)', () => {
      const suspects: string[] = [];
      for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
        if ('$ref' in schema) continue;
        for (const [key, property] of Object.entries(schema.properties ?? {})) {
          if ('$ref' in property) continue;
          const untyped =
            property.type === 'object' &&
            !property.properties &&
            !property.allOf &&
            property.additionalProperties === undefined;
          if (untyped) suspects.push(`${name}.${key}`);
        }
      }
      expect(suspects).toEqual([]);
    });

    it('describes the bearer scheme as an opaque token and marks public operations', () => {
      expect(document.components?.securitySchemes?.bearer).toEqual(
        expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      );
      expect(document.components?.securitySchemes?.bearer).not.toHaveProperty('bearerFormat');
      const submitOp = contract.find('post', '/v1/sites/default/articles/a/comments');
      expect(submitOp.operation.security).toEqual([]);
      const moderation = contract.find('get', '/v1/moderation/comments');
      expect(moderation.operation.security).toEqual([{ bearer: [] }]);
      const stream = contract.find('get', '/v1/sites/default/articles/a/comments/stream');
      expect(Object.keys(stream.operation.responses['200'] as object)).toContain('content');
    });

    it('types a reply as a UUID string, not an object', () => {
      const submitDto = document.components?.schemas?.SubmitCommentDto as {
        properties: Record<string, unknown>;
      };
      expect(submitDto.properties.parentId).toEqual(
        expect.objectContaining({ type: 'string', format: 'uuid', nullable: true }),
      );
    });
  });

  describe('real answers validate against the document', () => {
    it('covers the public routes: submit, thread (200 and 304), counts, receipt, stream, challenge, health', async () => {
      await call(t.http.get('/health/live'), 200);
      await call(t.http.get('/health/ready'), 200);
      await call(t.http.get('/v1/challenge'), 200);

      const article = `contract-${Date.now()}`;
      const first = await call(
        t.http
          .post(`/v1/sites/default/articles/${article}/comments`)
          .set('content-type', 'application/json')
          .send({ name: 'Ann', email: 'ann@example.com', body: 'First, with a reply below.' }),
        202,
      );
      const id = (first.body as { id: string }).id;
      const receipt = (first.body as { receipt: string }).receipt;
      await waitForStatus(t, id, ['held']);
      await call(
        t.http
          .post(`/v1/moderation/comments/${id}/decision`)
          .set(auth())
          .send({ action: 'approve' }),
        200,
      );
      const reply = await call(
        t.http
          .post(`/v1/sites/default/articles/${article}/comments`)
          .set('content-type', 'application/json')
          .send({
            name: 'Ann',
            email: 'ann@example.com',
            body: 'A reply',
            parentId: id,
            website: 'https://ann.example',
            // Trusted mode trusts proof, not the address: the receipt of the approved comment.
            receipts: [`${id}.${receipt}`],
          }),
        202,
      );
      await waitForStatus(t, (reply.body as { id: string }).id, ['approved']);

      const page = await call(t.http.get(`/v1/sites/default/articles/${article}/comments`), 200);
      expect((page.body as { comments: unknown[] }).comments).toHaveLength(2);
      // A cached page (served as ready bytes) validates too.
      const again = await call(t.http.get(`/v1/sites/default/articles/${article}/comments`), 200);
      await call(
        t.http
          .get(`/v1/sites/default/articles/${article}/comments`)
          .set('if-none-match', String(again.headers.etag)),
        304,
      );
      await call(t.http.get(`/v1/sites/default/counts?articles=${article},nothing-here`), 200);
      await call(t.http.get(`/v1/sites/default/articles/${article}/comments?sort=top`), 200);
      // Readers' likes and moderators' picks (docs/api.md v1.1).
      await call(t.http.post(`/v1/comments/${id}/reactions`).send({ type: 'like' }), 200);
      await call(t.http.delete(`/v1/comments/${id}/reactions`), 200);
      await call(
        t.http
          .post('/v1/comments/00000000-0000-4000-8000-000000000000/reactions')
          .send({ type: 'like' }),
        404,
      );
      await call(t.http.post(`/v1/moderation/comments/${id}/feature`).set(auth()).send({}), 200);
      await call(t.http.get(`/v1/sites/default/articles/${article}/comments?featured=true`), 200);
      await call(t.http.delete(`/v1/moderation/comments/${id}/feature`).set(auth()), 200);
      await call(t.http.get(`/v1/comments/${id}?receipt=${encodeURIComponent(receipt)}`), 200);

      const base = await listen(t);
      const streamPath = `/v1/sites/default/articles/${article}/comments/stream`;
      const sse = await openSse(base + streamPath);
      try {
        contract.check('get', streamPath, {
          status: sse.status,
          headers: sse.headers,
          text: '',
        });
        expect(sse.status).toBe(200);
      } finally {
        sse.close();
      }
    });

    it('covers the problems a public client meets: 400, 403, 404, 409, 413, 415, 422, 429', async () => {
      const post = (path: string) => t.http.post(path).set('content-type', 'application/json');
      const ok = { name: 'Bo', email: 'bo@example.com', body: 'Hello' };
      await call(post('/v1/sites/default/articles/p/comments').send({ ...ok, email: 'x' }), 400);
      await call(
        t.http
          .post('/v1/sites/default/articles/p/comments')
          .set('content-type', 'text/plain')
          .send('hello'),
        415,
      );
      await call(
        post('/v1/sites/default/articles/p/comments').send({ ...ok, body: 'x'.repeat(70_000) }),
        413,
      );
      await call(post('/v1/sites/no-such-site/articles/p/comments').send(ok), 404);
      await call(
        post('/v1/sites/default/articles/p/comments').send({
          ...ok,
          parentId: '00000000-0000-4000-8000-000000000000',
        }),
        404,
      );
      await call(
        post('/v1/sites/default/articles/p/comments').set('Idempotency-Key', 'k1').send(ok),
        202,
      );
      await call(
        post('/v1/sites/default/articles/p/comments')
          .set('Idempotency-Key', 'k1')
          .send({ ...ok, body: 'Another text' }),
        409,
      );
      await call(t.http.get('/v1/comments/not-a-uuid?receipt=x'), 404);
      await call(t.http.get('/v1/comments/00000000-0000-4000-8000-000000000000?receipt=x'), 404);
      await call(t.http.get('/v1/sites/no-such-site/articles/p/comments'), 404);

      await putSite(t, 'contract-closed', {
        name: 'Closed',
        settings: { moderation: { mode: 'post', maxDepth: 0 }, rateLimit: { perIpPerMinute: 3 } },
      });
      await call(
        t.http
          .put('/v1/admin/sites/contract-closed/articles/shut')
          .set(auth())
          .send({ closed: true }),
        200,
      );
      await call(post('/v1/sites/contract-closed/articles/shut/comments').send(ok), 403);
      const root = await call(
        post('/v1/sites/contract-closed/articles/open/comments').send(ok),
        202,
      );
      await waitForStatus(t, (root.body as { id: string }).id, ['approved']);
      await call(
        post('/v1/sites/contract-closed/articles/open/comments').send({
          ...ok,
          parentId: (root.body as { id: string }).id,
        }),
        422,
      );
      const limited = await waitFor(
        async () => {
          const res = await post('/v1/sites/contract-closed/articles/open/comments').send(ok);
          return res.status === 429 ? res : null;
        },
        { what: 'a 429' },
      );
      contract.check('post', '/v1/sites/contract-closed/articles/open/comments', {
        status: limited.status,
        headers: limited.headers,
        text: limited.text,
      });
      expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    });

    it('covers the moderator, admin and events routes, with 401, 403 and 404', async () => {
      // Tokens and their problems.
      await call(t.http.get('/v1/admin/tokens'), 401);
      const moderatorToken = await call(
        t.http
          .post('/v1/admin/tokens')
          .set(auth())
          .send({ name: 'mod', role: 'moderator', siteIds: ['default'] }),
        201,
      );
      const modAuth = auth((moderatorToken.body as { token: string }).token);
      await call(t.http.get('/v1/admin/tokens').set(modAuth), 403);
      const tokens = await call(t.http.get('/v1/admin/tokens').set(auth()), 200);
      expect((tokens.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
      const spare = await call(
        t.http.post('/v1/admin/tokens').set(auth()).send({ name: 'spare', role: 'service' }),
        201,
      );
      await call(
        t.http.delete(`/v1/admin/tokens/${(spare.body as { id: string }).id}`).set(auth()),
        204,
      );
      await call(
        t.http.delete('/v1/admin/tokens/00000000-0000-4000-8000-000000000000').set(auth()),
        404,
      );

      // Sites and articles.
      await call(t.http.get('/v1/admin/sites').set(auth()), 200);
      await call(t.http.get('/v1/admin/sites/default').set(auth()), 200);
      await call(t.http.get('/v1/admin/sites/nowhere').set(auth()), 404);
      const siteBody = { name: 'Contract', allowedOrigins: ['https://news.example'] };
      await call(t.http.put('/v1/admin/sites/contract').set(auth()).send(siteBody), 201);
      await call(t.http.put('/v1/admin/sites/contract').set(auth()).send(siteBody), 200);
      await call(
        t.http.put('/v1/admin/sites/contract/articles/a1').set(auth()).send({ closed: false }),
        200,
      );
      await call(t.http.get('/v1/admin/audit?limit=5').set(auth()), 200);

      // Imports: a file uploaded as it is, imported by the worker.
      const upload = await call(
        t.http
          .post('/v1/admin/imports?siteId=contract&format=jsonl')
          .set(auth())
          .set('content-type', 'application/octet-stream')
          .send(Buffer.from('\n')),
        202,
      );
      const importId = (upload.body as { id: string }).id;
      await waitFor(
        async () => {
          const job = await t.http.get(`/v1/admin/imports/${importId}`).set(auth());
          return (job.body as { status: string }).status === 'completed' ? job : null;
        },
        { what: 'the import to finish' },
      );
      await call(t.http.get(`/v1/admin/imports/${importId}`).set(auth()), 200);
      await call(t.http.get('/v1/admin/imports').set(auth()), 200);
      await call(t.http.get(`/v1/admin/imports/${ZERO_UUID}`).set(auth()), 404);

      // A comment to moderate, held by the default site's trusted mode.
      const res = await submit(t, `mod-${Date.now()}`, {
        name: 'Cy',
        email: 'cy@example.com',
        body: 'Please moderate me',
      });
      const id = (res.body as { id: string }).id;
      await waitForStatus(t, id, ['held']);
      await call(t.http.get('/v1/moderation/comments?status=held').set(modAuth), 200);
      await call(t.http.get('/v1/moderation/counts').set(modAuth), 200);
      await call(t.http.get(`/v1/moderation/comments/${id}`).set(modAuth), 200);
      await call(
        t.http.get('/v1/moderation/comments/00000000-0000-4000-8000-000000000000').set(modAuth),
        404,
      );
      await call(
        t.http
          .post(`/v1/moderation/comments/${id}/decision`)
          .set(modAuth)
          .send({ action: 'reject', reason: 'off topic' }),
        200,
      );
      // Only approved comments can be featured: this one was rejected.
      await call(t.http.post(`/v1/moderation/comments/${id}/feature`).set(modAuth).send({}), 409);
      await call(t.http.post(`/v1/moderation/comments/${id}/feature`).set(modAuth), 415);
      await call(
        t.http
          .post('/v1/moderation/decisions')
          .set(modAuth)
          .send({
            ids: [id, '00000000-0000-4000-8000-000000000000'],
            action: 'approve',
          }),
        200,
      );
      await call(
        t.http.post(`/v1/moderation/comments/${id}/decision`).set(modAuth).send({ action: 'x' }),
        400,
      );
      const base = await listen(t);
      const sse = await openSse(`${base}/v1/moderation/stream`, modAuth);
      try {
        contract.check('get', '/v1/moderation/stream', {
          status: sse.status,
          headers: sse.headers,
          text: '',
        });
      } finally {
        sse.close();
      }

      // Bans.
      const ban = await call(
        t.http
          .post('/v1/moderation/bans')
          .set(modAuth)
          .send({ siteId: 'default', email: 'troll@example.com', reason: 'abuse' }),
        201,
      );
      await call(t.http.get('/v1/moderation/bans?siteId=default').set(modAuth), 200);
      await call(
        t.http.delete(`/v1/moderation/bans/${(ban.body as { id: string }).id}`).set(modAuth),
        204,
      );

      // Privacy, then the comment's removal.
      await call(
        t.http.post('/v1/admin/privacy/export').set(auth()).send({ email: 'cy@example.com' }),
        200,
      );
      await call(
        t.http.post('/v1/admin/privacy/erase').set(auth()).send({ email: 'cy@example.com' }),
        200,
      );
      await call(t.http.delete(`/v1/moderation/comments/${id}`).set(modAuth), 204);

      // Webhooks and the event log.
      const hook = await call(
        t.http
          .post('/v1/admin/webhooks')
          .set(auth())
          .send({ url: 'http://127.0.0.1:9/hooks', events: ['comment.approved'] }),
        201,
      );
      const hookId = (hook.body as { id: string }).id;
      await call(t.http.get('/v1/admin/webhooks').set(auth()), 200);
      await call(t.http.get(`/v1/admin/webhooks/${hookId}/deliveries`).set(auth()), 200);
      await call(t.http.delete(`/v1/admin/webhooks/${hookId}`).set(auth()), 204);
      const events = await waitFor(
        async () => {
          const page = await t.http.get('/v1/events?after=0&limit=50').set(auth());
          return (page.body as { events?: unknown[] }).events?.length ? page : null;
        },
        { what: 'events in the log' },
      );
      contract.check('get', '/v1/events?after=0&limit=50', {
        status: events.status,
        headers: events.headers,
        text: events.text,
      });
      await call(t.http.get('/v1/events?after=0').set(modAuth), 403);
    });

    it('covers the links in reply-notification mail (confirm, one-click unsubscribe)', async () => {
      const db = t.app.get(DataSource);
      const [row] = await db.query(
        `INSERT INTO subscriptions (site_id, email_index) VALUES ('default', $1) RETURNING id`,
        [Buffer.alloc(32, 7)],
      );
      const tokens = t.app.get(SubscriptionTokens);
      await call(
        t.http
          .post('/v1/subscriptions/confirm')
          .set('content-type', 'application/json')
          .send({ token: tokens.sign('confirm', row.id) }),
        200,
      );
      await call(
        t.http
          .post(`/v1/subscriptions/unsubscribe?token=${tokens.sign('unsubscribe', row.id)}`)
          .set('content-type', 'application/json')
          .send({}),
        200,
      );
      await call(
        t.http
          .post('/v1/subscriptions/confirm')
          .set('content-type', 'application/json')
          .send({ token: 'c.forged' }),
        404,
      );
    });

    it('covers the trust-and-safety routes: flags, receipts, edits, appeals, transparency, retention', async () => {
      await putSite(t, 'openapi-trust', {
        name: 'Trust',
        settings: { moderation: { mode: 'post' }, spam: { spamThreshold: 1, holdThreshold: 1 } },
      });
      const sent = await submit(
        t,
        'trust-1',
        { name: 'Tia', email: 'tia@example.com', body: 'A first version.' },
        { siteId: 'openapi-trust' },
      );
      const { id, receipt } = sent.body as { id: string; receipt: string };
      await waitForStatus(t, id, ['approved']);
      await call(t.http.post(`/v1/comments/${id}/flags`).send({ reason: 'abuse' }), 202);
      await call(t.http.get(`/v1/comments/${id}?receipt=${receipt}`), 200);
      await call(
        t.http.patch(`/v1/comments/${id}`).send({ receipt, body: 'A second version.' }),
        200,
      );
      await waitForStatus(t, id, ['approved']);
      await call(
        t.http
          .post(`/v1/moderation/comments/${id}/decision`)
          .set(auth())
          .send({ action: 'reject', reasonCode: 'abuse' }),
        200,
      );
      await call(t.http.get(`/v1/moderation/comments/${id}`).set(auth()), 200);
      await call(t.http.get(`/v1/comments/${id}?receipt=${receipt}`), 200);
      const appeal = await call(
        t.http.post(`/v1/comments/${id}/appeal`).send({ receipt, message: 'Please look again.' }),
        202,
      );
      await call(t.http.get('/v1/moderation/appeals?status=open').set(auth()), 200);
      await call(
        t.http
          .post(`/v1/moderation/appeals/${(appeal.body as { id: string }).id}/decision`)
          .set(auth())
          .send({ action: 'reverse' }),
        200,
      );
      await call(t.http.get('/v1/admin/transparency?siteId=openapi-trust').set(auth()), 200);
      await call(t.http.post('/v1/admin/retention/run').set(auth()).send({}), 200);
      await call(t.http.delete(`/v1/comments/${id}?receipt=${receipt}`), 204);
    });

    it('has exercised a success answer of every operation in the document', () => {
      const untested = contract.operations
        .filter(
          ({ name, operation }) =>
            !Object.keys(operation.responses).some(
              (status) => status.startsWith('2') && contract.seen.has(`${name} ${status}`),
            ),
        )
        .map(({ name }) => name);
      expect(untested).toEqual([]);
    });
  });
});
