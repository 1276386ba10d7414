import { DataSource } from 'typeorm';
import { calibrate } from '../../src/spam/spam-model.service.js';
import { ToxicityModelService } from '../../src/toxicity/toxicity-model.service.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { ORDINARY_NEWS_COMMENTS } from '../factories/ordinary-news-comments.js';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

type Reason = { code: string; message: string; score?: number };

/** An insult with no word of obscenity's list in it (so the profanity phase lets it through). */
const INSULT = 'shut up you stupid hoe';

describe('the toxicity model in the running service', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    await putSite(t, 'news', { name: 'News', settings: { moderation: { mode: 'post' } } });
    await putSite(t, 'other', { name: 'Other', settings: { moderation: { mode: 'post' } } });
    await putSite(t, 'lenient', {
      name: 'Lenient',
      settings: { moderation: { mode: 'post', holdToxicity: false } },
    });
  });
  afterAll(() => t.close());

  async function post(siteId: string, body: string): Promise<string> {
    const res = await submit(t, uniqueArticle(), makeComment({ body }), { siteId });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  it('shows the settings with their defaults and refuses bad values', async () => {
    const site = await t.http.get('/v1/admin/sites/news').set(auth());
    expect(site.body.settings.moderation).toMatchObject({
      holdToxicity: true,
      toxicityThreshold: 0.5,
    });
    for (const moderation of [
      { toxicityThreshold: 0 },
      { toxicityThreshold: 1.5 },
      { toxicityThreshold: 'high' },
      { holdToxicity: 'yes' },
    ]) {
      const res = await putSite(t, 'bad-settings', { name: 'Bad', settings: { moderation } });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const none = await t.http.get('/v1/admin/sites/bad-settings').set(auth());
    expect(none.status).toBe(404);
  });

  it('holds an insult in post mode with the reason toxicity and its score', async () => {
    const id = await post('news', INSULT);
    const item = await waitForStatus(t, id, ['held', 'approved']);
    expect(item.status).toBe('held');
    const reason = (item.reasons as Reason[]).find((r) => r.code === 'toxicity');
    expect(reason).toEqual({
      code: 'toxicity',
      message: expect.stringContaining("at or above the site's threshold 0.5"),
      score: expect.any(Number),
    });
    expect(reason?.score).toBeGreaterThanOrEqual(0.5);
    expect(reason?.score).toBeLessThanOrEqual(1);
  });

  it('publishes the same insult on a site that turned the model off', async () => {
    const id = await post('lenient', INSULT);
    expect((await waitForStatus(t, id, ['held', 'approved'])).status).toBe('approved');
  });

  it('publishes every ordinary news comment of the regression corpus', async () => {
    const ids = [];
    for (const body of ORDINARY_NEWS_COMMENTS) ids.push({ body, id: await post('news', body) });
    for (const { body, id } of ids) {
      const item = await waitForStatus(t, id, ['held', 'approved', 'spam', 'rejected']);
      expect({
        body,
        status: item.status,
        reasons: item.status === 'approved' ? [] : item.reasons,
      }).toEqual({
        body,
        status: 'approved',
        reasons: [],
      });
    }
  });

  it("turns moderators' decisions on held comments into lessons", async () => {
    const approved = await post('news', `${INSULT} lol`);
    const rejected = await post('news', `${INSULT} again`);
    for (const id of [approved, rejected]) await waitForStatus(t, id, ['held']);
    const service = t.app.get(ToxicityModelService);
    const before = await service.score('you stupid hoe again', 'news');

    for (const [id, action] of [
      [approved, 'approve'],
      [rejected, 'reject'],
    ] as const) {
      const res = await t.http
        .post(`/v1/moderation/comments/${id}/decision`)
        .set(auth())
        .send({ action });
      expect(res.status).toBe(200);
    }
    const rows: Array<{ comment_id: string; label: string; feature_space: string; n: number }> =
      await db.query(
        `SELECT comment_id, label, feature_space, cardinality(features) AS n
         FROM toxicity_feedback WHERE comment_id = ANY($1::uuid[]) ORDER BY label`,
        [[approved, rejected]],
      );
    const { featureSpace } = await service.classifier('news');
    expect(rows).toEqual([
      { comment_id: approved, label: 'clean', feature_space: featureSpace, n: expect.any(Number) },
      { comment_id: rejected, label: 'toxic', feature_space: featureSpace, n: expect.any(Number) },
    ]);
    expect(rows.every((r) => r.n > 0)).toBe(true);
    // The rejected comment's own words weigh more now (the approved one shares fewer).
    expect(await service.score('you stupid hoe again', 'news')).toBeGreaterThan(before);

    // A decision on a comment that was not held for toxicity teaches nothing.
    const plain = await post('news', 'A plain comment about the bypass.');
    await waitForStatus(t, plain, ['approved']);
    await t.http
      .post(`/v1/moderation/comments/${plain}/decision`)
      .set(auth())
      .send({ action: 'reject' });
    const none = await db.query(`SELECT 1 FROM toxicity_feedback WHERE comment_id = $1`, [plain]);
    expect(none).toEqual([]);
  });

  it('counts a lesson on its own site only, and a bulk decision rebuilds the model once', async () => {
    const service = t.app.get(ToxicityModelService);
    await service.refresh(); // every earlier lesson is in: only this test's lessons move scores
    const probe = 'you dumb clown, get lost';
    const beforeNews = await service.score(probe, 'news');
    const beforeOther = await service.score(probe, 'other');

    const ids = [];
    for (const body of [`${INSULT} dumb clown`, `${INSULT} get lost clown`]) {
      ids.push(await post('other', body));
    }
    for (const id of ids) await waitForStatus(t, id, ['held']);
    const rebuildsBefore = service.rebuilds;
    const res = await t.http
      .post('/v1/moderation/decisions')
      .set(auth())
      .send({ ids, action: 'reject' });
    expect(res.status).toBe(200);

    // The site that taught it scores the words higher; the other site's score does not move.
    expect(await service.score(probe, 'other')).toBeGreaterThan(beforeOther);
    expect(await service.score(probe, 'news')).toBe(beforeNews);
    const rows: Array<{ site_id: string; label: string }> = await db.query(
      `SELECT site_id, label FROM toxicity_feedback WHERE comment_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows).toEqual([
      { site_id: 'other', label: 'toxic' },
      { site_id: 'other', label: 'toxic' },
    ]);
    expect(service.rebuilds - rebuildsBefore).toBe(1);
    // A site with no lessons at all scores with the shipped model alone.
    const base = await service.classifier('no-lessons-here');
    expect(await service.score(probe, 'no-lessons-here')).toBe(
      calibrate(base.score(probe).toxicity, base.threshold),
    );
  });
});
