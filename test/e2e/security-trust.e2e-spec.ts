import { makeComment, uniqueArticle, type CommentInput } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Issue 13, item 2: nobody speaks for somebody else. In `trusted` mode an address alone never
 * publishes: trust comes from the receipt of the author's own approved comment on the site.
 * Avatars are keyed per site, so they neither confirm an address nor link a reader across sites.
 */
describe('trust from proof, not from an address', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await putSite(t, 'trust-a', { name: 'Trust A' });
    await putSite(t, 'trust-b', { name: 'Trust B' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A reader whose first comment a moderator approved; returns its id and receipt. */
  const trustedReader = async (siteId = 'trust-a') => {
    const author = makeComment();
    const first = await submit(t, uniqueArticle(), author, { siteId });
    expect(first.status).toBe(202);
    await waitForStatus(t, first.body.id, ['held']);
    await t.http
      .post(`/v1/moderation/comments/${first.body.id}/decision`)
      .set(auth())
      .send({ action: 'approve' })
      .expect(200);
    return { author, proof: `${first.body.id}.${first.body.receipt}`, id: first.body.id as string };
  };

  const outcome = async (body: CommentInput & { receipts?: string[] }, siteId = 'trust-a') => {
    const res = await submit(t, uniqueArticle(), body, { siteId });
    expect(res.status).toBe(202);
    return waitForStatus(t, res.body.id, ['approved', 'held', 'rejected', 'spam']);
  };

  it('holds a comment that only knows a trusted reader’s address (impersonation)', async () => {
    const { author } = await trustedReader();
    const impostor = await outcome(makeComment({ email: author.email, name: author.name }));
    expect(impostor.status).toBe('held');
    expect(impostor.reasons.map((r: { code: string }) => r.code)).toContain('first-comment');
  });

  it('approves the reader who sends the receipt of their approved comment', async () => {
    const { author, proof } = await trustedReader();
    const again = await outcome({ ...makeComment({ email: author.email }), receipts: [proof] });
    expect(again.status).toBe('approved');
    expect(again.reasons).toContainEqual(
      expect.objectContaining({
        code: 'trusted-author',
        message: expect.stringMatching(/receipt/),
      }),
    );
  });

  it('does not trust a forged receipt, another address’s receipt, or one from another site', async () => {
    const { author, proof, id } = await trustedReader();
    const forged = await outcome({
      ...makeComment({ email: author.email }),
      receipts: [`${id}.${'A'.repeat(24)}`],
    });
    expect(forged.status).toBe('held');
    // A genuine receipt, but of somebody else's comment: it proves nothing about this address.
    const otherAddress = await outcome({ ...makeComment(), receipts: [proof] });
    expect(otherAddress.status).toBe('held');
    // Trust is per site.
    const otherSite = await outcome(
      { ...makeComment({ email: author.email }), receipts: [proof] },
      'trust-b',
    );
    expect(otherSite.status).toBe('held');
  });

  it('stops trusting once the proven comment is taken down', async () => {
    const { author, proof, id } = await trustedReader();
    await t.http
      .post(`/v1/moderation/comments/${id}/decision`)
      .set(auth())
      .send({ action: 'reject' })
      .expect(200);
    const after = await outcome({ ...makeComment({ email: author.email }), receipts: [proof] });
    expect(after.status).toBe('held');
  });

  it('refuses malformed receipts and more than 10 with a 400, storing nothing', async () => {
    const article = uniqueArticle();
    for (const receipts of [
      ['not-a-receipt'],
      'one-string',
      Array(11).fill(`${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.${'A'.repeat(24)}`),
    ]) {
      const res = await submit(t, article, { ...makeComment(), receipts }, { siteId: 'trust-a' });
      expect(res.status).toBe(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
      for (const error of res.body.errors) expect(error.field).toBe('receipts');
    }
    const page = await thread(t, article, '', 'trust-a');
    expect(page.body.count).toBe(0);
  });

  it('keys avatars per site: one reader, two sites, unrelated tags', async () => {
    const email = makeComment().email;
    const tags: string[] = [];
    for (const siteId of ['trust-a', 'trust-b']) {
      await putSite(t, `${siteId}-post`, {
        name: 'Post',
        settings: { moderation: { mode: 'post' } },
      });
      const article = uniqueArticle();
      const res = await submit(t, article, makeComment({ email }), { siteId: `${siteId}-post` });
      await waitForStatus(t, res.body.id, ['approved']);
      const page = await thread(t, article, '', `${siteId}-post`);
      tags.push(page.body.comments[0].author.avatar as string);
    }
    expect(tags[0]).toMatch(/^[0-9a-f]{8}$/);
    expect(tags[1]).toMatch(/^[0-9a-f]{8}$/);
    expect(tags[0]).not.toBe(tags[1]);
  });
});
