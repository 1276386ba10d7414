import { DataSource } from 'typeorm';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, thread, waitForStatus } from '../utils/api.js';
import { RetentionScheduler } from '../../src/retention/retention.scheduler.js';
import { createTestApp, redisClient, waitFor, type TestApp } from '../utils/test-app.js';

async function redisDel(t: TestApp, key: string): Promise<void> {
  const redis = redisClient();
  try {
    await redis.del(`${t.config.redis.prefix}:${key}`);
  } finally {
    redis.disconnect();
  }
}

type Item = {
  id: string;
  status: string;
  body: string;
  reasons: Array<{ code: string }>;
  flags: { count: number; reasons: Record<string, number> };
};

/**
 * Trust and safety end to end: reader flags (notice and action), statements of reasons,
 * appeals, author edits and deletes by receipt, the transparency figures and retention.
 */
describe('trust and safety', () => {
  let t: TestApp;
  let db: DataSource;
  let moderatorToken: string;
  let ipCounter = 10;
  /** A fresh client address (TRUST_PROXY=loopback believes X-Forwarded-For). */
  const nextIp = () => `198.51.100.${ipCounter++}`;

  const SITE = 'trust';
  const settings = {
    moderation: {
      mode: 'post',
      flagThreshold: 2,
      holdWords: ['casino'],
      reasons: { abuse: 'Personal attacks are removed here.' },
    },
    // The rules alone decide (the spam filter's own behaviour is tested elsewhere).
    spam: { spamThreshold: 1, holdThreshold: 1 },
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    db = t.app.get(DataSource);
    expect((await putSite(t, SITE, { name: 'Trust', settings })).status).toBe(201);
    const token = await t.http
      .post('/v1/admin/tokens')
      .set(auth())
      .send({ name: 'mod', role: 'moderator', siteIds: [SITE] });
    moderatorToken = token.body.token as string;
  });
  afterAll(() => t.close());

  /** Submits on the site and waits for the pipeline's verdict. */
  async function post(
    body: Record<string, unknown> = {},
    { siteId = SITE, articleId = uniqueArticle(), ip = nextIp() } = {},
  ): Promise<{ id: string; receipt: string; articleId: string; item: Item }> {
    const res = await t.http
      .post(`/v1/sites/${siteId}/articles/${articleId}/comments`)
      .set('X-Forwarded-For', ip)
      .send({ ...makeComment(), ...body });
    expect(res.status).toBe(202);
    const item = (await waitForStatus(t, res.body.id, [
      'approved',
      'held',
      'spam',
      'rejected',
    ])) as Item;
    return { id: res.body.id, receipt: res.body.receipt, articleId, item };
  }

  const flag = (id: string, body: Record<string, unknown>, ip = nextIp()) =>
    t.http.post(`/v1/comments/${id}/flags`).set('X-Forwarded-For', ip).send(body);
  const item = async (id: string) =>
    (await t.http.get(`/v1/moderation/comments/${id}`).set(auth())).body as Item & {
      history: Array<{ action: string; reasonCode: string | null; reason: string | null }>;
      versions: Array<{ body: string }>;
    };
  const receipt = (id: string, r: string) => t.http.get(`/v1/comments/${id}?receipt=${r}`);
  const events = (id: string, type: string) =>
    db.query<Array<{ data: Record<string, unknown> }>>(
      `SELECT data FROM outbox_events WHERE subject = $1 AND type = $2 ORDER BY sequence`,
      [`comments/${id}`, type],
    );
  const count = async (sql: string, params: unknown[]) =>
    (await db.query<Array<{ n: number }>>(sql, params))[0].n;

  describe('reader flags', () => {
    it('takes one flag per reader: a repeat answers the same id and counts once', async () => {
      const { id, item: published } = await post();
      expect(published.status).toBe('approved');
      const ip = nextIp();
      const first = await flag(id, { reason: 'off-topic', detail: 'Not about the article' }, ip);
      expect(first.status).toBe(202);
      expect(first.body.id).toMatch(/^[0-9a-f-]{36}$/);
      const again = await flag(id, { reason: 'spam' }, ip);
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(first.body.id);
      const now = await item(id);
      expect(now.status).toBe('approved');
      expect(now.flags).toEqual({ count: 1, reasons: { 'off-topic': 1 } });
      // Each new flag is an event, without anything about the reader.
      const flagged = await events(id, 'comment.flagged');
      expect(flagged).toHaveLength(1);
      expect(flagged[0].data.flags).toEqual({ count: 1, reasons: { 'off-topic': 1 } });
      expect(JSON.stringify(flagged[0].data)).not.toContain('Not about the article');
    });

    it('holds a published comment at the threshold of distinct flags (comment.held, reason flags)', async () => {
      const { id, articleId, item: posted } = await post();
      // Published first (else a flag is a 404): the reasons show if something held it.
      expect({ status: posted.status, reasons: posted.reasons }).toMatchObject({
        status: 'approved',
      });
      expect((await flag(id, { reason: 'abuse' })).status).toBe(202);
      expect((await flag(id, { reason: 'abuse', email: 'Reporter@Example.org' })).status).toBe(202);
      const held = await waitForStatus(t, id, ['held']);
      expect((held as Item).reasons.map((r) => r.code)).toContain('flags');
      const [event] = await events(id, 'comment.held');
      expect((event.data.reasons as Array<{ code: string }>)[0].code).toBe('flags');
      // Gone from the public thread at once.
      const page = await thread(t, articleId, '', SITE);
      expect(page.body.comments).toEqual([]);
      // The contact address is stored encrypted only.
      const rows: Array<{ email_ciphertext: Buffer | null }> = await db.query(
        `SELECT email_ciphertext FROM comment_flags WHERE comment_id = $1`,
        [id],
      );
      expect(rows.some((r) => r.email_ciphertext !== null)).toBe(true);
      for (const r of rows) {
        expect(r.email_ciphertext?.toString('latin1') ?? '').not.toContain('reporter@example.org');
      }
      // approve on a comment held by flags republishes it and clears them.
      const approved = await t.http
        .post(`/v1/moderation/comments/${id}/decision`)
        .set(auth(moderatorToken))
        .send({ action: 'approve' });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
      expect(approved.body.flags).toEqual({ count: 0, reasons: {} });
      expect((await thread(t, articleId, '', SITE)).body.comments).toHaveLength(1);
    });

    it('refuses flags on unknown and unpublished comments and bad reasons, storing nothing', async () => {
      const { id: heldId } = await post({ body: 'Visit the casino tonight' });
      expect((await item(heldId)).status).toBe('held');
      const { id } = await post();
      const before = await count(`SELECT count(*)::int AS n FROM comment_flags`, []);
      const cases = [
        [await flag('00000000-0000-4000-8000-000000000000', { reason: 'spam' }), 404],
        [await flag(heldId, { reason: 'spam' }), 404],
        [await flag(id, { reason: 'boring' }), 400],
        [await flag(id, { reason: 'spam', email: 'not-an-address' }), 400],
        [await flag(id, { reason: 'spam', detail: 'x'.repeat(1001) }), 400],
        [await flag(id, { reason: 'spam', reporter: 'me' }), 400],
        [await flag('not-a-uuid', { reason: 'spam' }), 404],
      ] as const;
      for (const [res, status] of cases) {
        expect(res.status).toBe(status);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      expect(await count(`SELECT count(*)::int AS n FROM comment_flags`, [])).toBe(before);
      expect((await item(id)).status).toBe('approved');
    });

    it('lists published comments with open flags, illegal first, and dismiss clears them', async () => {
      const article = uniqueArticle();
      const a = await post({}, { articleId: article });
      const b = await post({}, { articleId: article });
      expect((await flag(a.id, { reason: 'off-topic' })).status).toBe(202);
      expect((await flag(b.id, { reason: 'illegal' })).status).toBe(202);
      const list = await t.http
        .get(
          `/v1/moderation/comments?siteId=${SITE}&status=approved&flagged=true&articleId=${article}`,
        )
        .set(auth(moderatorToken));
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: Item) => i.id)).toEqual([b.id, a.id]);
      const dismissed = await t.http
        .post(`/v1/moderation/comments/${a.id}/decision`)
        .set(auth(moderatorToken))
        .send({ action: 'dismiss', reason: 'fine' });
      expect(dismissed.status).toBe(200);
      expect(dismissed.body.status).toBe('approved');
      expect(dismissed.body.flags.count).toBe(0);
      const after = await t.http
        .get(
          `/v1/moderation/comments?siteId=${SITE}&status=approved&flagged=true&articleId=${article}`,
        )
        .set(auth(moderatorToken));
      expect(after.body.items.map((i: Item) => i.id)).toEqual([b.id]);
      expect((await item(a.id)).history.map((h) => h.action)).toContain('dismiss');
      // dismiss is for published comments only.
      const { id: heldId } = await post({ body: 'casino night' });
      const refused = await t.http
        .post(`/v1/moderation/comments/${heldId}/decision`)
        .set(auth(moderatorToken))
        .send({ action: 'dismiss' });
      expect(refused.status).toBe(409);
    });

    it('puts comments reported as illegal first in the held queue', async () => {
      const article = uniqueArticle();
      const first = await post({}, { articleId: article });
      const second = await post({}, { articleId: article });
      for (const ip of [nextIp(), nextIp()]) {
        expect((await flag(first.id, { reason: 'spam' }, ip)).status).toBe(202);
      }
      expect((await flag(second.id, { reason: 'illegal' })).status).toBe(202);
      expect((await flag(second.id, { reason: 'abuse' })).status).toBe(202);
      await waitForStatus(t, first.id, ['held']);
      await waitForStatus(t, second.id, ['held']);
      const queue = await t.http
        .get(`/v1/moderation/comments?siteId=${SITE}&status=held&articleId=${article}&limit=1`)
        .set(auth(moderatorToken));
      expect(queue.body.items.map((i: Item) => i.id)).toEqual([second.id]);
      expect(queue.body.items[0].flags).toEqual({ count: 2, reasons: { illegal: 1, abuse: 1 } });
      const next = await t.http
        .get(
          `/v1/moderation/comments?siteId=${SITE}&status=held&articleId=${article}&limit=1&cursor=${queue.body.nextCursor}`,
        )
        .set(auth(moderatorToken));
      expect(next.body.items.map((i: Item) => i.id)).toEqual([first.id]);
    });

    it('rate-limits flags per reader like submissions', async () => {
      await putSite(t, 'trust-limits', {
        name: 'Limits',
        settings: { ...settings, rateLimit: { perIpPerMinute: 2, perEmailPerMinute: 100 } },
      });
      const ip = nextIp();
      const targets = [];
      for (let i = 0; i < 3; i++) targets.push((await post({}, { siteId: 'trust-limits' })).id);
      expect((await flag(targets[0], { reason: 'spam' }, ip)).status).toBe(202);
      expect((await flag(targets[1], { reason: 'spam' }, ip)).status).toBe(202);
      const limited = await flag(targets[2], { reason: 'spam' }, ip);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(
        await count(`SELECT count(*)::int AS n FROM comment_flags WHERE comment_id = $1`, [
          targets[2],
        ]),
      ).toBe(0);
    });
  });

  describe('statements of reasons and appeals', () => {
    it('shows the author why, never the internal note, and the appeal window', async () => {
      const { id, receipt: r } = await post();
      const res = await t.http
        .post(`/v1/moderation/comments/${id}/decision`)
        .set(auth(moderatorToken))
        .send({ action: 'reject', reasonCode: 'abuse', reason: 'INTERNAL: repeat troll' });
      expect(res.status).toBe(200);
      const view = await receipt(id, r);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        id,
        status: 'rejected',
        decision: {
          reasonCode: 'abuse',
          explanation: 'Personal attacks are removed here.',
          automated: false,
        },
        appeal: { status: null },
      });
      const decidedAt = Date.parse(view.body.decision.decidedAt);
      expect(Date.parse(view.body.appeal.until) - decidedAt).toBe(14 * 24 * 3600 * 1000);
      expect(JSON.stringify(view.body)).not.toContain('INTERNAL');
      expect((await item(id)).history.at(-1)?.reasonCode).toBe('abuse');
    });

    it('defaults a reject to "other" and refuses unknown reason codes, changing nothing', async () => {
      const { id, receipt: r } = await post();
      const bad = await t.http
        .post(`/v1/moderation/comments/${id}/decision`)
        .set(auth(moderatorToken))
        .send({ action: 'reject', reasonCode: 'ugly' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('reasonCode');
      expect((await item(id)).status).toBe('approved');
      await t.http
        .post(`/v1/moderation/comments/${id}/decision`)
        .set(auth(moderatorToken))
        .send({ action: 'reject' });
      expect((await receipt(id, r)).body.decision).toMatchObject({
        reasonCode: 'other',
        explanation: 'The comment was removed because it breaks the community rules.',
      });
    });

    it('marks automated decisions as such, with their own code', async () => {
      const email = `banned-${Date.now()}@example.org`;
      expect(
        (
          await t.http
            .post('/v1/moderation/bans')
            .set(auth())
            .send({ siteId: SITE, email, reason: 'INTERNAL ban note' })
        ).status,
      ).toBe(201);
      const { id, receipt: r, item: rejected } = await post({ email });
      expect(rejected.status).toBe('rejected');
      const view = await receipt(id, r);
      expect(view.body.decision).toMatchObject({ reasonCode: 'banned', automated: true });
      expect(view.body.decision.explanation).not.toContain('INTERNAL');
    });

    it('takes one appeal per decision within the window; a moderator reverses it', async () => {
      const { id, receipt: r, articleId } = await post();
      await t.http
        .post(`/v1/moderation/comments/${id}/decision`)
        .set(auth(moderatorToken))
        .send({ action: 'reject', reasonCode: 'off-topic' });
      const forged = await t.http
        .post(`/v1/comments/${id}/appeal`)
        .send({ receipt: 'A'.repeat(24), message: 'Please' });
      expect(forged.status).toBe(404);
      const empty = await t.http
        .post(`/v1/comments/${id}/appeal`)
        .send({ receipt: r, message: ' ' });
      expect(empty.status).toBe(400);
      const appeal = await t.http
        .post(`/v1/comments/${id}/appeal`)
        .send({ receipt: r, message: 'It was about the article.' });
      expect(appeal.status).toBe(202);
      const second = await t.http
        .post(`/v1/comments/${id}/appeal`)
        .send({ receipt: r, message: 'Again' });
      expect(second.status).toBe(409);
      expect((await receipt(id, r)).body.appeal.status).toBe('open');

      const queue = await t.http
        .get(`/v1/moderation/appeals?siteId=${SITE}&status=open`)
        .set(auth(moderatorToken));
      expect(queue.status).toBe(200);
      const mine = queue.body.items.find((a: { id: string }) => a.id === appeal.body.id);
      expect(mine).toMatchObject({
        commentId: id,
        message: 'It was about the article.',
        status: 'open',
        comment: { id, status: 'rejected' },
      });
      const reversed = await t.http
        .post(`/v1/moderation/appeals/${appeal.body.id}/decision`)
        .set(auth(moderatorToken))
        .send({ action: 'reverse', reason: 'fair enough' });
      expect(reversed.status).toBe(200);
      expect(reversed.body).toMatchObject({ status: 'reversed', comment: { status: 'approved' } });
      expect((await thread(t, articleId, '', SITE)).body.comments.map((c: Item) => c.id)).toEqual([
        id,
      ]);
      expect((await events(id, 'comment.approved')).length).toBe(2);
      const again = await t.http
        .post(`/v1/moderation/appeals/${appeal.body.id}/decision`)
        .set(auth(moderatorToken))
        .send({ action: 'uphold' });
      expect(again.status).toBe(409);
      expect((await receipt(id, r)).body.status).toBe('published');
    });

    it('shows an upheld appeal on the receipt; refuses appeals of published comments and after the window', async () => {
      const { id, receipt: r } = await post();
      const notRejected = await t.http
        .post(`/v1/comments/${id}/appeal`)
        .send({ receipt: r, message: 'Why?' });
      expect(notRejected.status).toBe(409);
      await t.http
        .post(`/v1/moderation/comments/${id}/decision`)
        .set(auth(moderatorToken))
        .send({ action: 'reject', reasonCode: 'spam' });
      const appeal = await t.http
        .post(`/v1/comments/${id}/appeal`)
        .send({ receipt: r, message: 'Not spam' });
      const upheld = await t.http
        .post(`/v1/moderation/appeals/${appeal.body.id}/decision`)
        .set(auth(moderatorToken))
        .send({ action: 'uphold', reason: 'INTERNAL: it was' });
      expect(upheld.status).toBe(200);
      const view = await receipt(id, r);
      expect(view.body).toMatchObject({ status: 'rejected', appeal: { status: 'upheld' } });
      expect(JSON.stringify(view.body)).not.toContain('INTERNAL');
      // The upheld decision was appealed once: no second appeal.
      const secondAppeal = await t.http
        .post(`/v1/comments/${id}/appeal`)
        .send({ receipt: r, message: 'Once more' });
      expect(secondAppeal.status).toBe(409);

      await putSite(t, 'trust-closed', {
        name: 'No appeals',
        settings: { ...settings, moderation: { ...settings.moderation, appealDays: 0 } },
      });
      const late = await post({}, { siteId: 'trust-closed' });
      await t.http
        .post(`/v1/moderation/comments/${late.id}/decision`)
        .set(auth())
        .send({ action: 'reject' });
      const refused = await t.http
        .post(`/v1/comments/${late.id}/appeal`)
        .send({ receipt: late.receipt, message: 'Late' });
      expect(refused.status).toBe(403);
      expect(
        await count(`SELECT count(*)::int AS n FROM appeals WHERE comment_id = $1`, [late.id]),
      ).toBe(0);
    });
  });

  describe('author edits and deletes by receipt', () => {
    it('edits within the window: moderated again, republished as comment.edited, both versions kept', async () => {
      const { id, receipt: r, articleId } = await post({ body: 'Teh first version.' });
      const before = await receipt(id, r);
      expect(before.body.editableUntil).toBeDefined();
      const res = await t.http
        .patch(`/v1/comments/${id}`)
        .send({ receipt: r, body: 'The first version, fixed.' });
      expect(res.status).toBe(200);
      expect(['pending', 'published']).toContain(res.body.status);
      await waitFor(
        async () => {
          const page = await thread(t, articleId, '', SITE);
          return page.body.comments[0]?.bodyHtml.includes('fixed') ? page : null;
        },
        { what: 'the edit to be published again' },
      );
      const edited = await events(id, 'comment.edited');
      expect(edited).toHaveLength(1);
      expect((edited[0].data.comment as { status: string }).status).toBe('approved');
      const detail = await item(id);
      expect(detail.body).toBe('The first version, fixed.');
      expect(detail.versions.map((v) => v.body)).toEqual(['Teh first version.']);
      expect(detail.history.map((h) => h.action)).toContain('edit');
    });

    it('takes an edited comment out of the thread while a rule holds it', async () => {
      const { id, receipt: r, articleId } = await post();
      await t.http.patch(`/v1/comments/${id}`).send({ receipt: r, body: 'Now about the casino' });
      await waitForStatus(t, id, ['held']);
      expect((await thread(t, articleId, '', SITE)).body.comments).toEqual([]);
      expect((await receipt(id, r)).body.status).toBe('awaiting_moderation');
    });

    it('refuses forged receipts, edits after the window and empty bodies, changing nothing', async () => {
      const { id, receipt: r } = await post({ body: 'Original words.' });
      const forged = await t.http
        .patch(`/v1/comments/${id}`)
        .send({ receipt: 'B'.repeat(24), body: 'Hijacked' });
      expect(forged.status).toBe(404);
      const empty = await t.http.patch(`/v1/comments/${id}`).send({ receipt: r, body: '   ' });
      expect(empty.status).toBe(400);
      await putSite(t, 'trust-noedit', {
        name: 'No edits',
        settings: { ...settings, moderation: { ...settings.moderation, editWindowMinutes: 0 } },
      });
      const late = await post({ body: 'Too late to change.' }, { siteId: 'trust-noedit' });
      const refused = await t.http
        .patch(`/v1/comments/${late.id}`)
        .send({ receipt: late.receipt, body: 'Changed' });
      expect(refused.status).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect((await item(late.id)).body).toBe('Too late to change.');
      expect((await item(id)).body).toBe('Original words.');
      expect(
        await count(
          `SELECT count(*)::int AS n FROM comment_revisions WHERE comment_id = ANY($1::uuid[])`,
          [[id, late.id]],
        ),
      ).toBe(0);
    });

    it('deletes at any time (comment.deleted), leaving a tombstone where replies hang off it', async () => {
      const { id, receipt: r, articleId } = await post();
      const reply = await post({ parentId: id }, { articleId });
      expect(reply.item.status).toBe('approved');
      const forged = await t.http.delete(`/v1/comments/${id}?receipt=${'C'.repeat(24)}`);
      expect(forged.status).toBe(404);
      const res = await t.http.delete(`/v1/comments/${id}?receipt=${r}`);
      expect(res.status).toBe(204);
      expect((await item(id)).status).toBe('deleted');
      expect(await events(id, 'comment.deleted')).toHaveLength(1);
      const page = await thread(t, articleId, '', SITE);
      expect(page.body.comments[0]).toMatchObject({
        id,
        deleted: true,
        author: null,
        bodyHtml: '',
      });
      expect(page.body.comments[1].id).toBe(reply.id);
      // Again: nothing more happens.
      expect((await t.http.delete(`/v1/comments/${id}?receipt=${r}`)).status).toBe(204);
      expect(await events(id, 'comment.deleted')).toHaveLength(1);
      expect((await receipt(id, r)).body.decision).toMatchObject({ reasonCode: 'author-deleted' });
    });
  });

  describe('transparency and retention', () => {
    it('reports decisions, reasons, flags, appeals and the median time to decision (admin only)', async () => {
      await putSite(t, 'trust-report', { name: 'Report', settings });
      const a = await post({}, { siteId: 'trust-report' });
      const b = await post({}, { siteId: 'trust-report' });
      await flag(a.id, { reason: 'abuse' });
      await flag(a.id, { reason: 'illegal' });
      await waitForStatus(t, a.id, ['held']);
      await t.http
        .post(`/v1/moderation/comments/${a.id}/decision`)
        .set(auth())
        .send({ action: 'reject', reasonCode: 'illegal' });
      await t.http
        .post(`/v1/moderation/comments/${b.id}/decision`)
        .set(auth())
        .send({ action: 'reject', reasonCode: 'abuse' });
      const appeal = await t.http
        .post(`/v1/comments/${b.id}/appeal`)
        .send({ receipt: b.receipt, message: 'Please' });
      await t.http
        .post(`/v1/moderation/appeals/${appeal.body.id}/decision`)
        .set(auth())
        .send({ action: 'reverse' });

      const report = await t.http.get('/v1/admin/transparency?siteId=trust-report').set(auth());
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({
        decisions: {
          automated: { approve: 2, hold: 1 },
          human: { reject: 2, approve: 1 },
        },
        reasons: { illegal: 1, abuse: 1 },
        flags: { received: 2, byReason: { abuse: 1, illegal: 1 }, actioned: 2 },
        appeals: { received: 1, upheld: 0, reversed: 1 },
      });
      expect(typeof report.body.medianMinutesToDecision).toBe('number');
      expect(report.body.medianMinutesToDecision).toBeGreaterThanOrEqual(0);

      expect((await t.http.get('/v1/admin/transparency').set(auth(moderatorToken))).status).toBe(
        403,
      );
      expect((await t.http.get('/v1/admin/transparency')).status).toBe(401);
      const bad = await t.http.get('/v1/admin/transparency?from=yesterday').set(auth());
      expect(bad.status).toBe(400);
    });

    it('purges address hashes and rejected comments per the site settings, with one audit entry', async () => {
      await putSite(t, 'trust-retention', {
        name: 'Retention',
        settings: { ...settings, retention: { ipDays: 0, rejectedDays: 0 } },
      });
      const kept = await post({}, { siteId: 'trust-retention' });
      const rejected = await post({}, { siteId: 'trust-retention' });
      await t.http
        .post(`/v1/moderation/comments/${rejected.id}/decision`)
        .set(auth())
        .send({ action: 'reject' });
      const other = await post(); // another site keeps 30 / 90 days
      const res = await t.http.post('/v1/admin/retention/run').set(auth()).send({});
      expect(res.status).toBe(200);
      expect(res.body.removed.rejectedComments).toBeGreaterThanOrEqual(1);
      expect(res.body.removed.ipHashes).toBeGreaterThanOrEqual(1);
      const rows: Array<{ id: string; ip: Buffer | null }> = await db.query(
        `SELECT id, ip_index AS ip FROM comments WHERE id = ANY($1::uuid[])`,
        [[kept.id, rejected.id, other.id]],
      );
      const byId = new Map(rows.map((row) => [row.id, row.ip]));
      expect(byId.has(rejected.id)).toBe(false);
      expect(byId.get(kept.id)).toBeNull();
      expect(byId.get(other.id)).not.toBeNull();
      const audit = await t.http.get('/v1/admin/audit?targetType=retention').set(auth());
      expect(audit.body.items[0]).toMatchObject({ action: 'retention.run' });
      expect(
        (await t.http.post('/v1/admin/retention/run').set(auth(moderatorToken)).send({})).status,
      ).toBe(403);
    });

    it('forgets idempotency records after 24 hours, and runs daily once across workers', async () => {
      const res = await t.http
        .post(`/v1/sites/${SITE}/articles/${uniqueArticle()}/comments`)
        .set('Idempotency-Key', `old-${Date.now()}`)
        .send(makeComment());
      expect(res.status).toBe(202);
      await db.query(`UPDATE comments SET created_at = now() - interval '25 hours' WHERE id = $1`, [
        res.body.id,
      ]);
      const scheduler = t.app.get(RetentionScheduler);
      // The day's slot in Redis: the first worker to ask runs the purge, the next does not.
      await redisDel(t, 'retention:daily');
      expect(await scheduler.maybeRun()).toBe(true);
      expect(await scheduler.maybeRun()).toBe(false);
      const [row] = await db.query<Array<{ key: string | null; fp: Buffer | null }>>(
        `SELECT idempotency_key AS key, request_fingerprint AS fp FROM comments WHERE id = $1`,
        [res.body.id],
      );
      expect(row).toEqual({ key: null, fp: null });
      const audit = await t.http.get('/v1/admin/audit?targetType=retention').set(auth());
      expect(audit.body.items[0]).toMatchObject({ actor: 'system:retention' });
    });

    it('erases an author’s earlier versions, appeal texts and flag contacts on request', async () => {
      const email = `erase-me-${Date.now()}@example.org`;
      const { id, receipt: r } = await post({ email, body: 'Version one, with a secret.' });
      await t.http.patch(`/v1/comments/${id}`).send({ receipt: r, body: 'Version two.' });
      await waitForStatus(t, id, ['approved']);
      await t.http
        .post(`/v1/moderation/comments/${id}/decision`)
        .set(auth())
        .send({ action: 'reject' });
      await t.http
        .post(`/v1/comments/${id}/appeal`)
        .send({ receipt: r, message: 'My appeal, with my secret.' })
        .expect(202);
      const other = await post();
      await flag(other.id, { reason: 'other', email }).expect(202);
      const erased = await t.http.post('/v1/admin/privacy/erase').set(auth()).send({ email });
      expect(erased.status).toBe(200);
      expect(
        await count(`SELECT count(*)::int AS n FROM comment_revisions WHERE comment_id = $1`, [id]),
      ).toBe(0);
      const [appeal] = await db.query<Array<{ message: string }>>(
        `SELECT message FROM appeals WHERE comment_id = $1`,
        [id],
      );
      expect(appeal.message).toBe('');
      expect(
        await count(
          `SELECT count(*)::int AS n FROM comment_flags WHERE comment_id = $1 AND email_ciphertext IS NOT NULL`,
          [other.id],
        ),
      ).toBe(0);
      expect((await item(other.id)).flags.count).toBe(1);
    });

    it('validates the new site settings', async () => {
      const bad = await putSite(t, 'trust-bad', {
        name: 'Bad',
        settings: {
          moderation: { reasons: { 'Not A Code': 'x' }, flagThreshold: 0, appealDays: -1 },
          retention: { ipDays: -1 },
        },
      });
      expect(bad.status).toBe(400);
      const fields = (bad.body.errors as Array<{ field: string }>).map((e) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'settings.moderation.reasons',
          'settings.moderation.flagThreshold',
          'settings.moderation.appealDays',
          'settings.retention.ipDays',
        ]),
      );
      const site = await t.http.get(`/v1/admin/sites/${SITE}`).set(auth());
      expect(site.body.settings.moderation.reasons).toMatchObject({
        abuse: 'Personal attacks are removed here.',
        other: 'The comment was removed because it breaks the community rules.',
      });
      expect(site.body.settings.retention).toEqual({ ipDays: 30, rejectedDays: 90 });
    });
  });
});
