import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { createTestApp, waitFor, type TestApp } from '../utils/test-app.js';

describe('the comment pipeline (submit → spam → moderation → published)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await putSite(t, 'post-site', { name: 'Post', settings: { moderation: { mode: 'post' } } });
    await putSite(t, 'pre-site', { name: 'Pre', settings: { moderation: { mode: 'pre' } } });
    await putSite(t, 'trusted-site', { name: 'Trusted' });
  });
  afterAll(() => t.close());

  it('publishes a comment in post mode and counts it', async () => {
    const article = uniqueArticle();
    const res = await submit(t, article, makeComment({ body: 'Great *reporting*' }), {
      siteId: 'post-site',
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.any(String),
      status: 'pending',
      receipt: expect.any(String),
    });

    const page = await waitFor(async () => {
      const r = await thread(t, article, '', 'post-site');
      return r.body.count === 1 ? r.body : null;
    });
    expect(page.comments).toHaveLength(1);
    expect(page.comments[0]).toMatchObject({
      id: res.body.id,
      parentId: null,
      depth: 0,
      bodyHtml: '<p>Great <em>reporting</em></p>',
      author: {
        name: expect.any(String),
        website: null,
        avatar: expect.stringMatching(/^[0-9a-f]{8}$/),
      },
    });
    expect(page.comments[0].publishedAt).toEqual(expect.any(String));

    const counts = await t.http.get(`/v1/sites/post-site/counts?articles=${article},never-seen`);
    expect(counts.body).toEqual({ counts: { [article]: 1, 'never-seen': 0 } });

    const receipt = await t.http.get(`/v1/comments/${res.body.id}?receipt=${res.body.receipt}`);
    expect(receipt.body).toMatchObject({ id: res.body.id, status: 'published' });
  });

  it('holds every comment in pre mode until a moderator approves it', async () => {
    const article = uniqueArticle();
    const res = await submit(t, article, makeComment(), { siteId: 'pre-site' });
    const held = await waitForStatus(t, res.body.id, ['held']);
    expect(held.reasons.map((r: { code: string }) => r.code)).toContain('mode-pre');

    const before = await thread(t, article, '', 'pre-site');
    expect(before.body).toMatchObject({ count: 0, comments: [] });
    const receipt = await t.http.get(`/v1/comments/${res.body.id}?receipt=${res.body.receipt}`);
    expect(receipt.body.status).toBe('awaiting_moderation');

    const decision = await t.http
      .post(`/v1/moderation/comments/${res.body.id}/decision`)
      .set(auth())
      .send({ action: 'approve', reason: 'fine' });
    expect(decision.status).toBe(200);
    expect(decision.body).toMatchObject({
      id: res.body.id,
      status: 'approved',
      siteId: 'pre-site',
    });

    const after = await thread(t, article, '', 'pre-site');
    expect(after.body.count).toBe(1);
    expect(after.body.comments.map((c: { id: string }) => c.id)).toEqual([res.body.id]);

    const item = await t.http.get(`/v1/moderation/comments/${res.body.id}`).set(auth());
    expect(item.body.history.map((h: { to: string }) => h.to)).toEqual(['held', 'approved']);
    expect(item.body.history[1]).toMatchObject({
      actor: 'bootstrap-admin',
      action: 'approve',
      from: 'held',
      reason: 'fine',
    });
  });

  it('holds a first-time author in trusted mode and approves their next comment', async () => {
    const article = uniqueArticle();
    const author = makeComment();
    const first = await submit(t, article, author, { siteId: 'trusted-site' });
    const held = await waitForStatus(t, first.body.id, ['held']);
    expect(held.reasons.map((r: { code: string }) => r.code)).toContain('first-comment');
    await t.http
      .post(`/v1/moderation/comments/${first.body.id}/decision`)
      .set(auth())
      .send({ action: 'approve' })
      .expect(200);

    // Same person, address typed differently (matched by the blind index of the normalised
    // form), with the receipt of the approved comment as the proof (the widget keeps it).
    const second = await submit(
      t,
      article,
      {
        ...author,
        email: `  ${author.email.toUpperCase()} `,
        body: 'Me again.',
        receipts: [`${first.body.id}.${first.body.receipt}`],
      },
      { siteId: 'trusted-site' },
    );
    const approved = await waitForStatus(t, second.body.id, ['approved', 'held']);
    expect(approved.status).toBe('approved');
    expect(approved.reasons.map((r: { code: string }) => r.code)).toContain('trusted-author');
  });

  it('marks a comment with a filled honeypot as spam while answering like any other', async () => {
    const article = uniqueArticle();
    const res = await submit(
      t,
      article,
      { ...makeComment(), hp: 'http://buy.example' },
      {
        siteId: 'post-site',
      },
    );
    expect(res.status).toBe(202);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'receipt', 'status']);
    const spam = await waitForStatus(t, res.body.id, ['spam', 'approved', 'held']);
    expect(spam.status).toBe('spam');
    expect(spam.spamScore).toBe(1);
    expect(spam.reasons.map((r: { code: string }) => r.code)).toContain('honeypot');
    const receipt = await t.http.get(`/v1/comments/${res.body.id}?receipt=${res.body.receipt}`);
    expect(receipt.body.status).toBe('awaiting_moderation');
    expect((await thread(t, article, '', 'post-site')).body.count).toBe(0);
  });

  it('threads replies depth-first across pages, roots oldest or newest first', async () => {
    const article = uniqueArticle();
    const ids: Record<string, string> = {};
    const post = async (key: string, parent?: string) => {
      const res = await submit(
        t,
        article,
        makeComment({ body: key, parentId: parent ? ids[parent] : undefined }),
        { siteId: 'post-site' },
      );
      expect(res.status).toBe(202);
      ids[key] = res.body.id;
      await waitForStatus(t, res.body.id, ['approved']);
    };
    await post('A');
    await post('B');
    await post('A1', 'A');
    await post('C');
    await post('A1a', 'A1');
    await post('B1', 'B');
    await post('A2', 'A');

    const read = async (sort: string, limit: number) => {
      const bodies: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q = `?sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await thread(t, article, q, 'post-site');
        expect(res.status).toBe(200);
        expect(res.body.count).toBe(7);
        expect(res.body.comments.length).toBeLessThanOrEqual(limit);
        bodies.push(
          ...res.body.comments.map((c: { bodyHtml: string }) => c.bodyHtml.replace(/<\/?p>/g, '')),
        );
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      return { bodies, pages };
    };
    expect(await read('oldest', 2)).toEqual({
      bodies: ['A', 'A1', 'A1a', 'A2', 'B', 'B1', 'C'],
      pages: 4,
    });
    expect((await read('newest', 3)).bodies).toEqual(['C', 'B', 'B1', 'A', 'A1', 'A1a', 'A2']);
    expect((await read('oldest', 200)).pages).toBe(1);

    const full = await thread(t, article, '?limit=200', 'post-site');
    const byId = Object.fromEntries(full.body.comments.map((c: { id: string }) => [c.id, c]));
    expect(byId[ids.A1a]).toMatchObject({ parentId: ids.A1, depth: 2 });
  });

  it('answers 304 to a matching If-None-Match and a new ETag once the thread changes', async () => {
    const article = uniqueArticle();
    const first = await thread(t, article, '', 'post-site');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      siteId: 'post-site',
      articleId: article,
      count: 0,
      closed: false,
      nextCursor: null,
      comments: [],
    });
    const etag = first.headers.etag;
    expect(etag).toBeTruthy();
    const again = await t.http
      .get(`/v1/sites/post-site/articles/${article}/comments`)
      .set('If-None-Match', etag);
    expect(again.status).toBe(304);

    const res = await submit(t, article, makeComment(), { siteId: 'post-site' });
    await waitForStatus(t, res.body.id, ['approved']);
    const changed = await t.http
      .get(`/v1/sites/post-site/articles/${article}/comments`)
      .set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body.count).toBe(1);
  });

  it('replays the same 202 for a repeated Idempotency-Key and refuses a different body', async () => {
    const article = uniqueArticle();
    const comment = makeComment();
    const key = `key-${Date.now()}`;
    const a = await submit(t, article, comment, { siteId: 'pre-site', idempotencyKey: key });
    const b = await submit(t, article, comment, { siteId: 'pre-site', idempotencyKey: key });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(b.body).toEqual(a.body);

    const conflict = await submit(
      t,
      article,
      { ...comment, body: 'Something else' },
      { siteId: 'pre-site', idempotencyKey: key },
    );
    expect(conflict.status).toBe(409);
    expect(conflict.headers['content-type']).toMatch(/^application\/problem\+json/);

    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () =>
        submit(t, article, comment, { siteId: 'pre-site', idempotencyKey: `${key}-race` }),
      ),
    );
    expect(new Set(concurrent.map((r) => r.status))).toEqual(new Set([202]));
    expect(new Set(concurrent.map((r) => r.body.id)).size).toBe(1);

    await waitForStatus(t, a.body.id, ['held']);
    // Two comments in all: the replayed one and the raced one, nothing more.
    const listed = await waitFor(async () => {
      const r = await t.http
        .get(`/v1/moderation/comments?siteId=pre-site&articleId=${article}&status=held`)
        .set(auth());
      return r.body.items.length === 2 ? r.body.items : null;
    });
    expect(listed.map((c: { id: string }) => c.id).sort()).toEqual(
      [a.body.id, concurrent[0].body.id].sort(),
    );
  });

  it('refuses replies to comments that are not approved or in another article', async () => {
    const article = uniqueArticle();
    const held = await submit(t, article, makeComment(), { siteId: 'pre-site' });
    await waitForStatus(t, held.body.id, ['held']);
    const toHeld = await submit(t, article, makeComment({ parentId: held.body.id }), {
      siteId: 'pre-site',
    });
    expect(toHeld.status).toBe(404);

    const published = await submit(t, article, makeComment(), { siteId: 'post-site' });
    await waitForStatus(t, published.body.id, ['approved']);
    const otherArticle = await submit(
      t,
      uniqueArticle(),
      makeComment({ parentId: published.body.id }),
      {
        siteId: 'post-site',
      },
    );
    expect(otherArticle.status).toBe(404);
    const unknown = await submit(
      t,
      article,
      makeComment({ parentId: '00000000-0000-4000-8000-000000000000' }),
      { siteId: 'post-site' },
    );
    expect(unknown.status).toBe(404);
  });

  it('refuses a reply deeper than the site allows with 422', async () => {
    await putSite(t, 'shallow', {
      name: 'Shallow',
      settings: { moderation: { mode: 'post', maxDepth: 1 } },
    });
    const article = uniqueArticle();
    const root = await submit(t, article, makeComment(), { siteId: 'shallow' });
    await waitForStatus(t, root.body.id, ['approved']);
    const reply = await submit(t, article, makeComment({ parentId: root.body.id }), {
      siteId: 'shallow',
    });
    expect(reply.status).toBe(202);
    await waitForStatus(t, reply.body.id, ['approved']);
    const tooDeep = await submit(t, article, makeComment({ parentId: reply.body.id }), {
      siteId: 'shallow',
    });
    expect(tooDeep.status).toBe(422);
    expect(tooDeep.body).toMatchObject({
      status: 422,
      type: expect.any(String),
      title: expect.any(String),
    });
  });

  it('refuses comments on a closed article with 403 and accepts them again once reopened', async () => {
    const article = uniqueArticle();
    const close = await t.http
      .put(`/v1/admin/sites/post-site/articles/${article}`)
      .set(auth())
      .send({ closed: true });
    expect(close.status).toBe(200);
    expect(close.body).toMatchObject({ closed: true, count: 0 });
    const refused = await submit(t, article, makeComment(), { siteId: 'post-site' });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe('/problems/comments-closed');
    await t.http
      .put(`/v1/admin/sites/post-site/articles/${article}`)
      .set(auth())
      .send({ closed: false });
    expect((await submit(t, article, makeComment(), { siteId: 'post-site' })).status).toBe(202);
  });

  it('lets moderators take a published comment down and refuses illegal moves with 409', async () => {
    const article = uniqueArticle();
    const res = await submit(t, article, makeComment(), { siteId: 'post-site' });
    await waitForStatus(t, res.body.id, ['approved']);
    expect((await thread(t, article, '', 'post-site')).body.count).toBe(1);

    const reject = await t.http
      .post(`/v1/moderation/comments/${res.body.id}/decision`)
      .set(auth())
      .send({ action: 'reject', reason: 'off topic' });
    expect(reject.body.status).toBe('rejected');
    const after = await thread(t, article, '', 'post-site');
    expect(after.body).toMatchObject({ count: 0, comments: [] });

    const again = await t.http
      .post(`/v1/moderation/comments/${res.body.id}/decision`)
      .set(auth())
      .send({ action: 'reject' });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('/problems/illegal-transition');
    const spam = await t.http
      .post(`/v1/moderation/comments/${res.body.id}/decision`)
      .set(auth())
      .send({ action: 'spam' });
    expect(spam.status).toBe(409);

    const restore = await t.http
      .post(`/v1/moderation/comments/${res.body.id}/decision`)
      .set(auth())
      .send({ action: 'approve' });
    expect(restore.body.status).toBe('approved');
    expect((await thread(t, article, '', 'post-site')).body.count).toBe(1);
  });

  it('shows a taken-down comment that holds up published replies as a tombstone', async () => {
    const article = uniqueArticle();
    const root = await submit(t, article, makeComment({ body: 'root' }), { siteId: 'post-site' });
    await waitForStatus(t, root.body.id, ['approved']);
    const reply = await submit(t, article, makeComment({ body: 'reply', parentId: root.body.id }), {
      siteId: 'post-site',
    });
    await waitForStatus(t, reply.body.id, ['approved']);
    await t.http
      .post(`/v1/moderation/comments/${root.body.id}/decision`)
      .set(auth())
      .send({ action: 'reject' })
      .expect(200);
    const page = await thread(t, article, '', 'post-site');
    expect(page.body.count).toBe(1);
    expect(page.body.comments).toEqual([
      expect.objectContaining({ id: root.body.id, deleted: true, author: null, bodyHtml: '' }),
      expect.objectContaining({
        id: reply.body.id,
        parentId: root.body.id,
        bodyHtml: '<p>reply</p>',
      }),
    ]);
  });
});
