import { randomBytes, randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { IntakeRepository, type Submission } from '../../src/comments/intake/intake.repository.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { putSite, submit } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Issue 16: concurrent submissions are committed together, and a bad one fails alone. */
describe('group commit at intake', () => {
  let t: TestApp;
  let db: DataSource;
  let intake: IntakeRepository;

  beforeAll(async () => {
    t = await createTestApp({ role: 'api' });
    db = t.app.get(DataSource);
    intake = t.app.get(IntakeRepository);
    await putSite(t, 'group', { name: 'Group', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  let n = 0;
  const submission = (
    articleId: string,
    overrides: Partial<Submission['comment']> = {},
  ): Submission => {
    const id = randomUUID();
    const path = `${String(++n).padStart(12, '0')}${id.slice(0, 3)}`;
    return {
      comment: {
        id,
        siteId: 'group',
        articleId,
        parentId: null,
        depth: 0,
        path,
        rootKey: path,
        authorName: `Reader ${n}`,
        authorWebsite: null,
        authorAvatar: 'abcd1234',
        emailCiphertext: randomBytes(40),
        emailKeyId: 'k1',
        emailIndex: randomBytes(32),
        ipIndex: null,
        body: `Comment ${n}`,
        bodyHtml: `<p>Comment ${n}</p>`,
        honeypot: false,
        powVerified: null,
        idempotencyKey: null,
        requestFingerprint: null,
        createdAt: new Date(),
        trustReceipts: null,
        identitySub: null,
        notifyReplies: false,
        emailDisposable: false,
        ...overrides,
      },
      event: { eventId: randomUUID(), source: '/sites/group', data: { comment: { id } } },
      closeAfterDays: null,
    };
  };

  const stored = async (ids: string[]) => {
    const rows: Array<{ id: string; events: number }> = await db.query(
      `SELECT c.id, (SELECT count(*)::int FROM outbox_events e
                     WHERE e.subject = 'comments/' || c.id AND e.type = 'comment.submitted') AS events
       FROM comments c WHERE c.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.events]));
  };

  it('commits concurrent submissions over HTTP in groups, each with its event, before the 202', async () => {
    const many = jest.spyOn(intake, 'insertManyWithEvents');
    const article = uniqueArticle();
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => submit(t, article, makeComment(), { siteId: 'group' })),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
    const ids = answers.map((a) => a.body.id as string);
    const rows = await stored(ids);
    expect(ids.every((id) => rows.get(id) === 1)).toBe(true);
    // At least one statement carried several submissions.
    expect(many.mock.calls.some(([items]) => items.length > 1)).toBe(true);
    const [article_] = await db.query(
      `SELECT first_comment_at IS NOT NULL AS first FROM articles WHERE site_id = 'group' AND article_id = $1`,
      [article],
    );
    expect(article_.first).toBe(true);
  });

  it("keeps each row's own disposable-address fact in a group", async () => {
    const article = uniqueArticle();
    const items = [
      submission(article, { emailDisposable: true }),
      submission(article),
      submission(article, { emailDisposable: true }),
    ];
    await intake.insertManyWithEvents(items);
    const rows: Array<{ id: string; disposable: boolean }> = await db.query(
      `SELECT id, email_disposable AS disposable FROM comments WHERE id = ANY($1::uuid[])`,
      [items.map((i) => i.comment.id)],
    );
    const byId = new Map(rows.map((r) => [r.id, r.disposable]));
    expect(items.map((i) => byId.get(i.comment.id))).toEqual([true, false, true]);
  });

  it('commits a lone submission at once, on its own', async () => {
    const many = jest.spyOn(intake, 'insertManyWithEvents');
    const one = submission(uniqueArticle());
    expect(await intake.insert(one)).toEqual({ inserted: true, seen: true });
    expect(many).not.toHaveBeenCalled();
    expect((await stored([one.comment.id])).get(one.comment.id)).toBe(1);
  });

  it('refuses the comments of a closed article in a group and commits the others', async () => {
    const closed = uniqueArticle();
    await db.query(
      `INSERT INTO articles (site_id, article_id, closed) VALUES ('group', $1, true)`,
      [closed],
    );
    const open = uniqueArticle();
    const items = [submission(open), submission(closed), submission(open), submission(closed)];
    expect(await intake.insertManyWithEvents(items)).toEqual([
      { inserted: true, seen: true },
      { inserted: false, seen: true },
      { inserted: true, seen: true },
      { inserted: false, seen: true },
    ]);
    const rows = await stored(items.map((i) => i.comment.id));
    expect([...rows.keys()].sort()).toEqual([items[0].comment.id, items[2].comment.id].sort());
  });

  it("refuses comments past an article's closeAfterDays and starts a new article's clock", async () => {
    const old = uniqueArticle();
    await db.query(
      `INSERT INTO articles (site_id, article_id, first_comment_at)
       VALUES ('group', $1, now() - interval '10 days')`,
      [old],
    );
    const fresh = uniqueArticle();
    const items = [submission(old), submission(fresh), submission(fresh)].map((s) => ({
      ...s,
      closeAfterDays: 5,
    }));
    expect(await intake.insertManyWithEvents(items)).toEqual([
      { inserted: false, seen: true },
      { inserted: true, seen: true },
      { inserted: true, seen: true },
    ]);
    const [article] = await db.query(
      `SELECT first_comment_at AS "firstCommentAt" FROM articles
       WHERE site_id = 'group' AND article_id = $1`,
      [fresh],
    );
    expect((article as { firstCommentAt: Date }).firstCommentAt.getTime()).toBe(
      Math.min(...items.slice(1).map((i) => i.comment.createdAt.getTime())),
    );
  });

  it('fails only the submission that breaks a constraint; the rest of its group commits', async () => {
    const article = uniqueArticle();
    const key = `key-${randomUUID()}`;
    const fingerprint = randomBytes(32);
    const first = submission(article, { idempotencyKey: key, requestFingerprint: fingerprint });
    const twin = submission(article, { idempotencyKey: key, requestFingerprint: fingerprint });
    const others = [submission(article), submission(uniqueArticle())];
    const many = jest.spyOn(intake, 'insertManyWithEvents');
    // The first goes at once; the twin and the others wait for it and go together.
    const results = await Promise.allSettled([first, twin, ...others].map((s) => intake.insert(s)));
    expect(results[0]).toEqual({ status: 'fulfilled', value: { inserted: true, seen: true } });
    expect(results[1].status).toBe('rejected');
    expect(((results[1] as PromiseRejectedResult).reason as { code?: string }).code).toBe('23505');
    expect(results.slice(2)).toEqual(
      others.map(() => ({ status: 'fulfilled', value: { inserted: true, seen: true } })),
    );
    // The group was tried as one statement, refused as a whole, then one by one.
    expect(many).toHaveBeenCalledTimes(1);
    expect(many.mock.calls[0][0]).toHaveLength(3);
    const rows = await stored([first, twin, ...others].map((s) => s.comment.id));
    expect(rows.has(twin.comment.id)).toBe(false);
    expect([first, ...others].every((s) => rows.get(s.comment.id) === 1)).toBe(true);
  });
});
