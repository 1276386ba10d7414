import { DataSource } from 'typeorm';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

type Item = { status: string; reasons: Array<{ code: string }> };
const codes = (item: Item) => item.reasons.map((r) => r.code);

describe('moderation rules and the moderator API', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    db = t.app.get(DataSource);
    await putSite(t, 'rules', {
      name: 'Rules',
      settings: {
        moderation: {
          mode: 'post',
          maxLinks: 1,
          holdWords: ['casino', 'free money'],
          blockWords: ['viagra'],
          closeAfterDays: 3,
        },
        // The rules alone: the spam filter never holds here (see spam.e2e-spec.ts for it).
        spam: { spamThreshold: 1, holdThreshold: 1 },
      },
    });
  });
  afterAll(() => t.close());

  const settle = async (body: Record<string, unknown>, opts: { ip?: string } = {}) => {
    const req = t.http
      .post(`/v1/sites/rules/articles/${uniqueArticle()}/comments`)
      .set('content-type', 'application/json');
    if (opts.ip) void req.set('X-Forwarded-For', opts.ip);
    const res = await req.send({ ...makeComment(), ...body });
    expect(res.status).toBe(202);
    return (await waitForStatus(t, res.body.id, [
      'approved',
      'held',
      'spam',
      'rejected',
    ])) as Item & {
      id: string;
    };
  };

  it.each([
    ['a plain comment', { body: 'A fair point, well made.' }, 'approved', 'mode-post'],
    ['a block word', { body: 'cheap viagra here' }, 'spam', 'block-word'],
    [
      'a block word hidden by a zero-width space',
      { body: 'cheap v\u200biagra' },
      'spam',
      'block-word',
    ],
    ['a block word in full-width letters', { body: 'cheap ｖｉａｇｒａ' }, 'spam', 'block-word'],
    ['a block word in the name', { name: 'Viagra Sales' }, 'spam', 'block-word'],
    ['a hold word', { body: 'Best CASINO in town' }, 'held', 'hold-word'],
    ['a hold phrase', { body: 'get free   money now' }, 'held', 'hold-word'],
    ['profanity', { body: 'what a load of sh1t' }, 'held', 'profanity'],
    [
      'too many links',
      { body: 'see https://a.example and https://b.example' },
      'held',
      'too-many-links',
    ],
  ])('decides %s: %s', async (_what, body, status, code) => {
    const item = await settle(body);
    expect(item.status).toBe(status);
    expect(codes(item)).toContain(code);
  });

  it('does not match a listed word inside another word', async () => {
    const item = await settle({ body: 'The casinos of Monaco, and viagras (not a word).' });
    expect(item.status).toBe('approved');
  });

  it('rejects authors banned by email or by address, only while the ban lasts', async () => {
    const banned = makeComment();
    const byEmail = await t.http
      .post('/v1/moderation/bans')
      .set(auth())
      .send({ siteId: 'rules', email: banned.email.toUpperCase(), reason: 'abuse' });
    expect(byEmail.status).toBe(201);
    expect(byEmail.body).toMatchObject({
      siteId: 'rules',
      // Stored as a keyed hash; shown masked.
      email: `${banned.email[0]}***@e***.org`,
      active: true,
      reason: 'abuse',
    });
    const item = await settle({ ...banned });
    expect(item.status).toBe('rejected');
    expect(codes(item)).toContain('banned');

    const byIp = await t.http
      .post('/v1/moderation/bans')
      .set(auth())
      .send({ ip: '198.51.100.23', reason: 'flooding' });
    expect(byIp.status).toBe(201);
    expect((await settle({}, { ip: '198.51.100.23' })).status).toBe('rejected');
    expect((await settle({}, { ip: '198.51.100.24' })).status).toBe('approved');

    const list = await t.http.get('/v1/moderation/bans?siteId=rules').set(auth());
    expect(list.body.items.map((b: { id: string }) => b.id)).toEqual(
      expect.arrayContaining([byEmail.body.id, byIp.body.id]),
    );
    await t.http.delete(`/v1/moderation/bans/${byEmail.body.id}`).set(auth()).expect(204);
    expect((await settle({ ...banned })).status).toBe('approved');

    // Expired bans no longer apply: make this one expire in the past.
    await db.query(`UPDATE bans SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      byIp.body.id,
    ]);
    expect((await settle({}, { ip: '198.51.100.23' })).status).toBe('approved');
    const after = await t.http.get('/v1/moderation/bans').set(auth());
    expect(after.body.items.find((b: { id: string }) => b.id === byIp.body.id).active).toBe(false);
  });

  it('validates bans', async () => {
    const none = await t.http.post('/v1/moderation/bans').set(auth()).send({ reason: 'x' });
    expect(none.status).toBe(400);
    const badIp = await t.http
      .post('/v1/moderation/bans')
      .set(auth())
      .send({ ip: '999.1.1.1', reason: 'x' });
    expect(badIp.body.errors.map((e: { field: string }) => e.field)).toContain('ip');
    const past = await t.http
      .post('/v1/moderation/bans')
      .set(auth())
      .send({ ip: '198.51.100.1', reason: 'x', expiresAt: '2020-01-01T00:00:00.000Z' });
    expect(past.status).toBe(400);
    const unknownSite = await t.http
      .post('/v1/moderation/bans')
      .set(auth())
      .send({ siteId: 'nope', ip: '198.51.100.1', reason: 'x' });
    expect(unknownSite.status).toBe(404);
  });

  it('closes an article closeAfterDays after its first comment', async () => {
    const article = uniqueArticle();
    const first = await submit(t, article, makeComment(), { siteId: 'rules' });
    expect(first.status).toBe(202);
    await db.query(
      `UPDATE articles SET first_comment_at = now() - interval '4 days'
       WHERE site_id = 'rules' AND article_id = $1`,
      [article],
    );
    const late = await submit(t, article, makeComment(), { siteId: 'rules' });
    expect(late.status).toBe(403);
    expect(late.body.type).toBe('/problems/comments-closed');
  });

  describe('transitions', () => {
    const decide = (id: string, action: string) =>
      t.http.post(`/v1/moderation/comments/${id}/decision`).set(auth()).send({ action });

    const inState = async (status: 'held' | 'spam' | 'approved' | 'rejected') => {
      const item = await settle({ body: 'casino' }); // held by the hold word
      if (status === 'held') return item.id;
      const action = { spam: 'spam', approved: 'approve', rejected: 'reject' }[status];
      expect((await decide(item.id, action)).body.status).toBe(status);
      return item.id;
    };

    it.each([
      ['held', 'approve', 200],
      ['held', 'reject', 200],
      ['held', 'spam', 200],
      ['spam', 'approve', 200],
      ['spam', 'reject', 200],
      ['spam', 'spam', 200],
      ['approved', 'reject', 200],
      ['approved', 'spam', 200],
      ['approved', 'approve', 409],
      ['rejected', 'approve', 200],
      ['rejected', 'reject', 409],
      ['rejected', 'spam', 409],
    ] as const)('from %s, %s answers %i', async (from, action, code) => {
      const id = await inState(from);
      const res = await decide(id, action);
      expect(res.status).toBe(code);
      if (code === 409) expect(res.body.type).toBe('/problems/illegal-transition');
    });

    it('confirms the filter: spam on a spam comment is audited, emitted and taught', async () => {
      const caught = await settle({ body: 'cheap viagra, one more time' }); // block word: spam
      expect(caught.status).toBe('spam');
      const lessons = () =>
        db.query(`SELECT label FROM spam_feedback WHERE comment_id = $1`, [caught.id]);
      const events = () =>
        db.query(
          `SELECT type, data->>'previousStatus' AS "previousStatus", data->'comment'->>'status' AS status
           FROM outbox_events WHERE subject = $1 ORDER BY sequence`,
          [`comments/${caught.id}`],
        );
      expect(await lessons()).toEqual([]); // the filter's own verdict teaches nothing
      const before = (await events()).length;

      const res = await t.http
        .post(`/v1/moderation/comments/${caught.id}/decision`)
        .set(auth())
        .send({ action: 'spam', reason: 'confirmed' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: caught.id, status: 'spam' });

      const item = await t.http.get(`/v1/moderation/comments/${caught.id}`).set(auth());
      expect(item.body.history.at(-1)).toMatchObject({
        actor: 'bootstrap-admin',
        action: 'spam',
        from: 'spam',
        to: 'spam',
        reason: 'confirmed',
      });
      expect(await lessons()).toEqual([{ label: 'spam' }]);
      const after = await events();
      expect(after.slice(before)).toEqual([
        { type: 'comment.spam', previousStatus: 'spam', status: 'spam' },
      ]);

      // The same in a bulk decision, next to an illegal move that still answers an error.
      const other = await settle({ body: 'viagra again' });
      const rejected = await inState('rejected');
      const bulk = await t.http
        .post('/v1/moderation/decisions')
        .set(auth())
        .send({ ids: [other.id, caught.id, rejected], action: 'spam' });
      expect(bulk.status).toBe(200);
      expect(bulk.body.results).toEqual([
        { id: other.id, status: 'spam' },
        { id: caught.id, status: 'spam' },
        { id: rejected, error: expect.stringContaining('rejected') },
      ]);
      const history = (await t.http.get(`/v1/moderation/comments/${other.id}`).set(auth())).body
        .history;
      expect(history.at(-1)).toMatchObject({ action: 'spam', from: 'spam', to: 'spam' });
      expect(
        await db.query(`SELECT label FROM spam_feedback WHERE comment_id = $1`, [other.id]),
      ).toEqual([{ label: 'spam' }]);
    });

    it('refuses to decide on a deleted comment and reports each result of a bulk decision', async () => {
      const held = await inState('held');
      const approved = await inState('approved');
      const deleted = await inState('held');
      await t.http.delete(`/v1/moderation/comments/${deleted}`).set(auth()).expect(204);
      expect((await decide(deleted, 'approve')).status).toBe(409);
      const bulk = await t.http
        .post('/v1/moderation/decisions')
        .set(auth())
        .send({ ids: [held, approved, deleted], action: 'approve' });
      expect(bulk.status).toBe(200);
      expect(bulk.body.results).toEqual([
        { id: held, status: 'approved' },
        { id: approved, error: expect.stringContaining('approved') },
        { id: deleted, error: expect.stringContaining('deleted') },
      ]);
      const tooMany = await t.http
        .post('/v1/moderation/decisions')
        .set(auth())
        .send({
          ids: Array.from({ length: 101 }, () => '00000000-0000-4000-8000-000000000000'),
          action: 'approve',
        });
      expect(tooMany.status).toBe(400);
    });
  });

  it('soft-deletes: gone from the thread and the count, a tombstone where replies hang', async () => {
    const article = uniqueArticle();
    const root = await submit(t, article, makeComment({ body: 'root' }), { siteId: 'rules' });
    await waitForStatus(t, root.body.id, ['approved']);
    const reply = await submit(t, article, makeComment({ parentId: root.body.id }), {
      siteId: 'rules',
    });
    await waitForStatus(t, reply.body.id, ['approved']);
    const lone = await submit(t, article, makeComment({ body: 'lone' }), { siteId: 'rules' });
    await waitForStatus(t, lone.body.id, ['approved']);
    expect((await thread(t, article, '', 'rules')).body.count).toBe(3);

    await t.http.delete(`/v1/moderation/comments/${root.body.id}`).set(auth()).expect(204);
    await t.http.delete(`/v1/moderation/comments/${lone.body.id}`).set(auth()).expect(204);
    await t.http.delete(`/v1/moderation/comments/${lone.body.id}`).set(auth()).expect(204);
    const page = await thread(t, article, '', 'rules');
    expect(page.body.count).toBe(1);
    expect(page.body.comments).toEqual([
      expect.objectContaining({ id: root.body.id, deleted: true, author: null, bodyHtml: '' }),
      expect.objectContaining({ id: reply.body.id, parentId: root.body.id }),
    ]);
    const item = await t.http.get(`/v1/moderation/comments/${root.body.id}`).set(auth());
    expect(item.body.status).toBe('deleted');
    expect(item.body.history.at(-1)).toMatchObject({ action: 'delete', to: 'deleted' });
    const deletedList = await t.http
      .get(`/v1/moderation/comments?siteId=rules&status=deleted&articleId=${article}`)
      .set(auth());
    expect(deletedList.body.items).toHaveLength(2);
  });

  it('lists queues oldest first with filters and cursors', async () => {
    const article = uniqueArticle();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await submit(t, article, makeComment({ body: `casino ${i}` }), {
        siteId: 'rules',
      });
      ids.push(res.body.id);
      await waitForStatus(t, res.body.id, ['held']);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `?siteId=rules&status=held&articleId=${article}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.http.get(`/v1/moderation/comments${q}`).set(auth());
      expect(res.status).toBe(200);
      for (const item of res.body.items) {
        expect(item).toMatchObject({ status: 'held', siteId: 'rules', articleId: article });
        expect(item.email).toMatch(/@example\.org$/);
        expect(typeof item.spamScore).toBe('number');
        seen.push(item.id);
      }
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    const bad = await t.http
      .get(
        `/v1/moderation/comments?status=spam&cursor=${encodeURIComponent('eyJrIjoibW9kZXJhdGlvbjpoZWxkIn0')}`,
      )
      .set(auth());
    expect(bad.status).toBe(400);
  });
});
