import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

interface ThreadComment {
  id: string;
  likes?: number;
  featured?: boolean;
  deleted?: true;
  bodyHtml?: string;
}

/**
 * Security review of issues 19 and 20 over HTTP: likes cannot be multiplied by rotating IPv6
 * addresses, a site-scoped moderator cannot feature another site's comments, what a liked or
 * featured comment that left `approved` shows in the public thread, and the import routes'
 * bad ids. Readers are told apart by their address: the app trusts X-Forwarded-For from loopback.
 */
describe('security review: reactions, featured comments, imports', () => {
  let t: TestApp;
  const SITE = 'review-a';
  const OTHER = 'review-b';

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    for (const site of [SITE, OTHER]) {
      await putSite(t, site, { name: site, settings: { moderation: { mode: 'post' } } });
    }
  });
  afterAll(() => t?.close());

  const like = (id: string, reader: string) =>
    t.http
      .post(`/v1/comments/${id}/reactions`)
      .set('X-Forwarded-For', reader)
      .send({ type: 'like' });

  async function published(siteId: string, article: string, body: string): Promise<string> {
    const res = await submit(t, article, makeComment({ body }), { siteId });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    await waitForStatus(t, id, ['approved']);
    return id;
  }

  it('counts the addresses of one IPv6 /64 as one reader (likes and their rate limit)', async () => {
    const id = await published(SITE, uniqueArticle('v6'), 'Liked from one network');
    // Any address in a subscriber's /64 is theirs to pick: they are one reader.
    for (const reader of ['2001:db8:77:1::1', '2001:db8:77:1::2', '2001:db8:77:1:abcd:1:2:3']) {
      const res = await like(id, reader);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ likes: 1 });
    }
    // Another /64 is another reader; IPv4-mapped IPv6 is the IPv4 reader.
    expect((await like(id, '2001:db8:77:2::1')).body).toEqual({ likes: 2 });
    expect((await like(id, '198.18.77.1')).body).toEqual({ likes: 3 });
    expect((await like(id, '::ffff:198.18.77.1')).body).toEqual({ likes: 3 });
  });

  it('a site-scoped moderator cannot feature or unfeature another site’s comment', async () => {
    const token = await t.http
      .post('/v1/admin/tokens')
      .set(auth())
      .send({ name: 'review-mod', role: 'moderator', siteIds: [SITE] });
    expect(token.status).toBe(201);
    const mod = auth(token.body.token as string);
    const article = uniqueArticle('scoped');
    const theirs = await published(OTHER, article, 'Another site’s comment');

    const on = await t.http.post(`/v1/moderation/comments/${theirs}/feature`).set(mod).send({});
    expect(on.status).toBe(403);
    expect(on.headers['content-type']).toMatch(/problem\+json/);
    expect((await thread(t, article, '?featured=true', OTHER)).body.comments).toEqual([]);

    await t.http.post(`/v1/moderation/comments/${theirs}/feature`).set(auth()).send({}).expect(200);
    const off = await t.http.delete(`/v1/moderation/comments/${theirs}/feature`).set(mod);
    expect(off.status).toBe(403);
    const featured = (await thread(t, article, '?featured=true', OTHER)).body
      .comments as ThreadComment[];
    expect(featured.map((c) => c.id)).toEqual([theirs]);
  });

  it('a liked, featured root that is rejected leaves every public order; its likes are closed', async () => {
    const article = uniqueArticle('top-down');
    const root = await published(SITE, article, 'Popular, then taken down');
    const other = await published(SITE, article, 'Still here');
    expect((await like(root, '198.18.78.1')).status).toBe(200);
    expect((await like(root, '198.18.78.2')).status).toBe(200);
    await t.http.post(`/v1/moderation/comments/${root}/feature`).set(auth()).send({}).expect(200);
    await t.http
      .post(`/v1/moderation/comments/${root}/decision`)
      .set(auth())
      .send({ action: 'reject' })
      .expect(200);

    for (const query of ['?sort=top', '?sort=top&featured=true', '?featured=true', '']) {
      const res = await thread(t, article, query, SITE);
      expect(res.status).toBe(200);
      const comments = res.body.comments as ThreadComment[];
      expect(comments.map((c) => c.id)).toEqual(query.includes('featured') ? [] : [other]);
      expect(JSON.stringify(res.body)).not.toContain('taken down');
    }
    const again = await like(root, '198.18.78.3');
    expect(again.status).toBe(404);
    expect(JSON.stringify(again.body)).not.toContain('likes');
  });

  it('answers a forged sort=top cursor with a page or a 400, never a server error', async () => {
    const article = uniqueArticle('top-cursor');
    await published(SITE, article, 'First');
    await published(SITE, article, 'Second');
    const first = await thread(t, article, '?sort=top&limit=1', SITE);
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as object;
    for (const s of [2 ** 40, Number.MAX_SAFE_INTEGER, 2 ** 31]) {
      const forged = Buffer.from(JSON.stringify({ ...position, s })).toString('base64url');
      const res = await thread(t, article, `?sort=top&limit=1&cursor=${forged}`, SITE);
      expect([200, 400]).toContain(res.status);
    }
  });

  it('answers 404, not a server error, for import ids that only look like UUIDs', async () => {
    for (const id of ['-'.repeat(36), 'g'.repeat(36), '00000000-0000-4000-8000-000000000000']) {
      const res = await t.http.get(`/v1/admin/imports/${id}`).set(auth());
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });
});
