import type { TestApp } from './test-app.js';
import { ADMIN_TOKEN, ROOMY_LIMITS, ROOMY_SPAM, waitFor } from './test-app.js';
import type { CommentInput } from '../factories/comment.factory.js';

export const auth = (token = ADMIN_TOKEN) => ({ Authorization: `Bearer ${token}` });

export async function submit(
  t: TestApp,
  articleId: string,
  comment: CommentInput | Record<string, unknown>,
  { siteId = 'default', idempotencyKey }: { siteId?: string; idempotencyKey?: string } = {},
) {
  const req = t.http
    .post(`/v1/sites/${siteId}/articles/${articleId}/comments`)
    .set('content-type', 'application/json');
  if (idempotencyKey) void req.set('Idempotency-Key', idempotencyKey);
  return req.send(comment);
}

/** Creates or replaces a site; its rate limits and velocity allowances are roomy unless set. */
export async function putSite(t: TestApp, siteId: string, body: Record<string, unknown>) {
  const settings = (body.settings ?? {}) as Record<string, Record<string, unknown> | undefined>;
  return t.http
    .put(`/v1/admin/sites/${siteId}`)
    .set(auth())
    .send({
      ...body,
      settings: {
        ...settings,
        rateLimit: settings.rateLimit ?? ROOMY_LIMITS,
        spam: { ...ROOMY_SPAM, ...settings.spam },
      },
    });
}

/** Waits until the moderator view shows the comment in one of `statuses`. */
export async function waitForStatus(
  t: TestApp,
  id: string,
  statuses: string[],
  timeoutMs = 10_000,
) {
  return waitFor(
    async () => {
      const res = await t.http.get(`/v1/moderation/comments/${id}`).set(auth());
      return res.status === 200 && statuses.includes(res.body.status) ? res.body : null;
    },
    { timeoutMs, what: `comment ${id} to become ${statuses.join('|')}` },
  );
}

export async function thread(t: TestApp, articleId: string, query = '', siteId = 'default') {
  return t.http.get(`/v1/sites/${siteId}/articles/${articleId}/comments${query}`);
}
