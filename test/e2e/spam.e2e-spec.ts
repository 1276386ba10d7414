import { DataSource } from 'typeorm';
import { SpamModelService } from '../../src/spam/spam-model.service.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, waitForStatus } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

type Item = {
  id: string;
  status: string;
  spamScore: number;
  reasons: Array<{ code: string; message: string; weight?: number }>;
};
const reason = (item: Item, code: string) => item.reasons.find((r) => r.code === code);

/** Near-duplicates of a pitch the shipped model has never seen. */
const pitch = (n: number) =>
  [
    `Join the Riverside bean co-op ${n}: members get weekly crates of heirloom beans delivered`,
    `The Riverside bean co-op ${n} delivers weekly crates of heirloom beans to members`,
    `Weekly heirloom bean crates from the Riverside bean co-op ${n}, join as a member`,
    `Riverside bean co-op ${n} members receive heirloom beans in weekly crates`,
    `Heirloom beans in weekly crates for members of the Riverside bean co-op ${n}`,
  ][n % 5];

describe('the spam filter in the running service', () => {
  let t: TestApp;
  let model: SpamModelService;

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    model = t.app.get(SpamModelService);
    await putSite(t, 'news', {
      name: 'News',
      settings: {
        moderation: { mode: 'post' },
        spam: { maxPerHourPerIp: 5, maxPerHourPerEmail: 5 },
      },
    });
    await putSite(t, 'strict', {
      name: 'Strict',
      settings: { moderation: { mode: 'post' }, spam: { spamThreshold: 0.3, holdThreshold: 0.2 } },
    });
  });
  afterAll(() => t.close());

  const settle = async (siteId: string, body: Record<string, unknown>, ip?: string) => {
    const req = t.http
      .post(`/v1/sites/${siteId}/articles/${uniqueArticle()}/comments`)
      .set('content-type', 'application/json');
    if (ip) void req.set('X-Forwarded-For', ip);
    const res = await req.send({ ...makeComment(), ...body });
    expect(res.status).toBe(202);
    return (await waitForStatus(t, res.body.id, ['approved', 'held', 'spam', 'rejected'])) as Item;
  };

  it('catches clear comment spam and publishes clear ham', async () => {
    const spam = await settle('news', {
      body: 'Check out my channel http://www.youtube.com/user/bestvideos and please subscribe!! I will sub back',
    });
    expect(spam.status).toBe('spam');
    expect(reason(spam, 'classifier')!.weight!).toBeGreaterThan(0.5);
    const ham = await settle('news', {
      body: 'The council vote on the harbour budget was closer than the article suggests; two members abstained.',
    });
    expect(ham.status).toBe('approved');
    expect(ham.spamScore).toBeLessThan(0.5);
  });

  it('applies each site’s thresholds', async () => {
    const body = 'I wrote about this too: https://example.org/notes and https://example.org/more';
    const lenient = await settle('news', { body });
    const strict = await settle('strict', { body });
    // The same score, read against each site's thresholds (0.97/0.5 and 0.3/0.2).
    expect(strict.spamScore).toBeCloseTo(lenient.spamScore, 1);
    expect(lenient.spamScore).toBeGreaterThan(0.5);
    expect(lenient.spamScore).toBeLessThan(0.97);
    expect(lenient.status).toBe('held');
    expect(lenient.reasons.map((r) => r.code)).toContain('spam-doubtful');
    expect(strict.status).toBe('spam');
  });

  it('scores a body posted again, a fast poster and a disposable address', async () => {
    const body = 'Sell your old phone for the best price, details on my profile page today';
    const first = await settle('news', { body });
    expect(reason(first, 'duplicate')).toBeUndefined();
    const second = await settle('news', { body });
    expect(reason(second, 'duplicate')).toBeDefined();
    expect(second.spamScore).toBeGreaterThan(first.spamScore);

    let last: Item | undefined;
    for (let i = 0; i < 7; i++)
      last = await settle('news', { body: `Point number ${i} about the vote.` }, '198.51.100.77');
    expect(reason(last!, 'velocity')).toBeDefined();

    const throwaway = await settle('news', { email: 'someone@mailinator.com' });
    expect(reason(throwaway, 'disposable-email')).toBeDefined();
  });

  it('learns from moderators: spam decisions raise near-duplicates, approvals lower them', async () => {
    const probe = pitch(100);
    const before = (await model.score(probe, 'news')).probability;
    for (let i = 1; i <= 4; i++) {
      const item = await settle('news', { body: pitch(i) });
      const res = await t.http
        .post(`/v1/moderation/comments/${item.id}/decision`)
        .set(auth())
        .send({ action: 'spam' });
      expect(res.status).toBe(200);
    }
    const taught = (await model.score(probe, 'news')).probability;
    expect(taught).toBeGreaterThan(before + 0.2);

    // And the running pipeline uses it: a fresh near-duplicate now carries the raised score.
    const next = await settle('news', { body: pitch(7) });
    expect(reason(next, 'classifier')!.weight!).toBeGreaterThan(before + 0.2);
    expect(reason(next, 'classifier')!.message).toMatch(/feedback raised/);

    // Moderators change their minds: approving them teaches ham and lowers the score again.
    const rows = await t.app
      .get(DataSource)
      .query(`SELECT comment_id FROM spam_feedback WHERE label = 'spam'`);
    for (const { comment_id } of rows as Array<{ comment_id: string }>) {
      await t.http
        .post(`/v1/moderation/comments/${comment_id}/decision`)
        .set(auth())
        .send({ action: 'approve' })
        .expect(200);
    }
    const untaught = (await model.score(probe, 'news')).probability;
    expect(untaught).toBeLessThan(taught - 0.2);
  });

  it('keeps what it learned across a restart, shared through PostgreSQL', async () => {
    const lesson = 'Cheap tyre offers every Friday at Morrow Street garage, ask for Dale';
    const before = (await model.score(`${lesson}!`, 'news')).probability;
    for (let i = 0; i < 4; i++) {
      const item = await settle('news', { body: `${lesson} ${i}` });
      await t.http
        .post(`/v1/moderation/comments/${item.id}/decision`)
        .set(auth())
        .send({ action: 'spam' })
        .expect(200);
    }
    const taught = (await model.score(`${lesson}!`, 'news')).probability;
    expect(taught).toBeGreaterThan(before + 0.2);

    const restarted = await createTestApp({ role: 'worker', shareWith: t });
    try {
      const fresh = restarted.app.get(SpamModelService);
      expect((await fresh.score(`${lesson}!`, 'news')).probability).toBeCloseTo(taught, 6);
    } finally {
      await restarted.close();
    }
  });
});
