import { DataSource } from 'typeorm';
import { CryptoService } from '../../src/common/crypto/crypto.service.js';
import { BansService } from '../../src/moderation/bans.service.js';
import { SpamModelService } from '../../src/spam/spam-model.service.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { waitForRelayed } from '../utils/events.js';
import {
  createTestApp,
  itOnRedis,
  transportInspector,
  waitFor,
  type TestApp,
} from '../utils/test-app.js';

/** Issue 13: the smaller hardening items, each proved against the running app. */
describe('security hardening (issue 13)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await putSite(t, 'harden', { name: 'Harden', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(() => t.close());

  describe('transport growth from anonymous reads (item 7)', () => {
    it('creates no transport key or counter for reads of made-up article ids', async () => {
      const transport = transportInspector(t);
      const before = new Set(await transport.keysOrCounters());
      for (let i = 0; i < 300; i++) {
        const res = await thread(t, uniqueArticle('made-up'), i % 2 ? '?sort=newest' : '');
        expect(res.status).toBe(200);
        expect(res.body.comments).toEqual([]);
      }
      const after = (await transport.keysOrCounters()).filter((key) => !before.has(key));
      expect(after.filter((key) => key.includes('made-up'))).toEqual([]);
    });

    /** A published comment on a new article, relayed, and its thread read once. */
    const readRealThread = async () => {
      const article = uniqueArticle('real');
      const res = await submit(t, article, makeComment(), { siteId: 'harden' });
      await waitForStatus(t, res.body.id, ['approved']);
      // The relay's own invalidation (it drops the stored pages) must not follow the first read.
      await waitForRelayed(t, res.body.id as string);
      const first = await thread(t, article, '', 'harden');
      expect(first.body.comments).toHaveLength(1);
      return { article, first };
    };

    it('still answers the threads of articles that exist with an ETag, and 304', async () => {
      const { article, first } = await readRealThread();
      expect(first.headers.etag).toEqual(expect.any(String));
      const again = await t.http
        .get(`/v1/sites/harden/articles/${article}/comments`)
        .set('If-None-Match', first.headers.etag);
      expect(again.status).toBe(304);
    });

    // Redis only: on PostgreSQL the thread cache is in-process (thread-cache.e2e covers it).
    itOnRedis('still caches the threads of articles that exist in Redis', async () => {
      const { article } = await readRealThread();
      const transport = transportInspector(t);
      // The page is stored in the background: wait for it.
      const keys = await waitFor(async () => {
        const mine = (await transport.keysOrCounters()).filter((key) => key.includes(article));
        return mine.some((key) => key.endsWith(':pages')) ? mine : null;
      });
      expect(keys).toEqual(
        expect.arrayContaining([expect.stringMatching(/:gen$/), expect.stringMatching(/:pages$/)]),
      );
    });
  });

  describe('bans (item 5)', () => {
    const ban = (token: string | undefined, body: Record<string, unknown>) =>
      t.http
        .post('/v1/moderation/bans')
        .set(auth(token))
        .send({ reason: 'abuse', ...body });

    it('stores an address only as keyed hashes and lists a masked form', async () => {
      const email = `Troll-${uniqueArticle()}@Example.org`;
      const created = await ban(undefined, { siteId: 'harden', email, ip: '2001:db8:7:8::42' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ email: 't***@e***.org', ip: '2001:db8:x:x::/64' });
      const [row] = await t.app
        .get(DataSource)
        .query(`SELECT * FROM bans WHERE id = $1`, [created.body.id]);
      expect(row.value_ciphertext).toBeNull();
      const stored = JSON.stringify(row, (_k, v: unknown) =>
        v && typeof v === 'object' && 'type' in v && v.type === 'Buffer' ? '<bytes>' : v,
      );
      expect(stored.toLowerCase()).not.toContain(email.toLowerCase());
      expect(stored).not.toContain('2001:db8:7:8::42');
      // The ban still works: by email, and by any address of the /64.
      const byEmail = await submit(t, uniqueArticle(), makeComment({ email }), {
        siteId: 'harden',
      });
      expect((await waitForStatus(t, byEmail.body.id, ['rejected', 'approved'])).status).toBe(
        'rejected',
      );
      const listed = await t.http.get('/v1/moderation/bans?siteId=harden').set(auth());
      expect(JSON.stringify(listed.body).toLowerCase()).not.toContain(email.toLowerCase());
    });

    it('never shows a site-scoped moderator whom a ban outside its sites names', async () => {
      await putSite(t, 'harden-b', { name: 'B' });
      const minted = await t.http
        .post('/v1/admin/tokens')
        .set(auth())
        .send({ name: 'b-desk', role: 'moderator', siteIds: ['harden-b'] });
      const global = await ban(undefined, { email: 'everywhere@example.org' });
      const elsewhere = await ban(undefined, { siteId: 'harden', email: 'elsewhere@example.org' });
      const own = await ban(minted.body.token, { siteId: 'harden-b', ip: '203.0.113.50' });
      expect([global.status, elsewhere.status, own.status]).toEqual([201, 201, 201]);
      const list = await t.http.get('/v1/moderation/bans').set(auth(minted.body.token));
      expect(list.status).toBe(200);
      const items = list.body.items as Array<{
        id: string;
        email: string | null;
        ip: string | null;
      }>;
      expect(items.find((b) => b.id === elsewhere.body.id)).toBeUndefined();
      expect(items.find((b) => b.id === global.body.id)).toMatchObject({ email: null, ip: null });
      expect(items.find((b) => b.id === own.body.id)).toMatchObject({ ip: '203.0.113.x' });
      expect(JSON.stringify(list.body)).not.toMatch(/everywhere|elsewhere|e\*\*\*@/);
    });

    it('turns older bans that held the encrypted address into hashes and masks at start', async () => {
      const crypto = t.app.get(CryptoService);
      const value = crypto.encryptText(JSON.stringify({ email: 'old@example.org', ip: null }));
      const db = t.app.get(DataSource);
      const [{ id }] = await db.query(
        `INSERT INTO bans (email_index, value_ciphertext, value_key_id, reason, created_by)
         VALUES ($1, $2, $3, 'legacy', 'test') RETURNING id`,
        [crypto.emailIndex('old@example.org'), value.ciphertext, value.keyId],
      );
      await t.app.get(BansService).onApplicationBootstrap();
      const [row] = await db.query(`SELECT * FROM bans WHERE id = $1`, [id]);
      expect(row).toMatchObject({
        value_ciphertext: null,
        value_key_id: null,
        email_masked: 'o***@e***.org',
      });
    });
  });

  describe('spam lessons (item 6)', () => {
    const pitch = (n: number) =>
      [
        `Fresh Marlow orchard cider club ${n}: members get a crate of orchard cider monthly`,
        `Join the Marlow orchard cider club ${n} for monthly crates of orchard cider`,
        `Monthly orchard cider crates for Marlow cider club ${n} members, join today`,
        `Marlow orchard cider club ${n} members receive orchard cider crates monthly`,
      ][n % 4];

    it('changes scores on the site it was taught on only, rebuilding once per bulk decision', async () => {
      await putSite(t, 'lesson-a', { name: 'A', settings: { moderation: { mode: 'pre' } } });
      await putSite(t, 'lesson-b', { name: 'B', settings: { moderation: { mode: 'pre' } } });
      const model = t.app.get(SpamModelService);
      const probe = pitch(99);
      const beforeA = (await model.score(probe, 'lesson-a')).probability;
      const beforeB = (await model.score(probe, 'lesson-b')).probability;
      expect(beforeA).toBeCloseTo(beforeB, 9);

      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await submit(t, uniqueArticle(), makeComment({ body: pitch(i) }), {
          siteId: 'lesson-a',
        });
        await waitForStatus(t, res.body.id, ['held', 'spam']);
        ids.push(res.body.id as string);
      }
      const rebuildsBefore = model.rebuilds;
      const bulk = await t.http
        .post('/v1/moderation/decisions')
        .set(auth())
        .send({ ids, action: 'spam' });
      expect(bulk.status).toBe(200);
      expect(bulk.body.results.every((r: { status?: string }) => r.status === 'spam')).toBe(true);
      expect(model.rebuilds - rebuildsBefore).toBe(1);

      const afterA = (await model.score(probe, 'lesson-a')).probability;
      const afterB = (await model.score(probe, 'lesson-b')).probability;
      expect(afterA).toBeGreaterThan(beforeA + 0.2);
      expect(afterB).toBeCloseTo(beforeB, 9);
      const lessons = await t.app
        .get(DataSource)
        .query(`SELECT DISTINCT site_id FROM spam_feedback WHERE comment_id = ANY($1::uuid[])`, [
          ids,
        ]);
      expect(lessons).toEqual([{ site_id: 'lesson-a' }]);
    });
  });

  describe('privacy requests (item 9)', () => {
    it('export the avatar, every decision with the moderator’s reason, and bans; erase removes them', async () => {
      const email = `Private.${uniqueArticle()}@Example.net`;
      const res = await submit(t, uniqueArticle(), makeComment({ email }), { siteId: 'harden' });
      await waitForStatus(t, res.body.id, ['approved']);
      const words = 'Took it down: Mrs Example of 12 Some Street complained';
      await t.http
        .post(`/v1/moderation/comments/${res.body.id}/decision`)
        .set(auth())
        .send({ action: 'reject', reason: words })
        .expect(200);
      await t.http
        .post('/v1/moderation/bans')
        .set(auth())
        .send({ siteId: 'harden', email, reason: 'ban for the export' })
        .expect(201);

      const exported = await t.http.post('/v1/admin/privacy/export').set(auth()).send({ email });
      expect(exported.status).toBe(200);
      const [comment] = exported.body.comments;
      expect(comment.avatar).toMatch(/^[0-9a-f]{8}$/);
      expect(comment.decisions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            action: 'reject',
            from: 'approved',
            to: 'rejected',
            reason: words,
          }),
        ]),
      );
      expect(comment.moderationReasons.length).toBeGreaterThan(0);
      expect(exported.body.bans).toEqual([
        expect.objectContaining({
          siteId: 'harden',
          email: 'p***@e***.net',
          reason: 'ban for the export',
        }),
      ]);

      await t.http.post('/v1/admin/privacy/erase').set(auth()).send({ email }).expect(200);
      const db = t.app.get(DataSource);
      const actions = await db.query(
        `SELECT reason, reasons::text AS reasons FROM moderation_actions WHERE comment_id = $1`,
        [res.body.id],
      );
      expect(actions.length).toBeGreaterThan(0);
      for (const action of actions as Array<{ reason: string | null; reasons: string }>) {
        expect(action.reason).toBeNull();
        expect(action.reasons).not.toContain('Some Street');
        expect(action.reasons).toContain('Removed at the author');
      }
      const [row] = await db.query(`SELECT author_avatar FROM comments WHERE id = $1`, [
        res.body.id,
      ]);
      expect(row.author_avatar).toBeNull();
      const events = await db.query(
        `SELECT data::text AS d FROM outbox_events WHERE subject = $1`,
        [`comments/${res.body.id}`],
      );
      expect(events.map((e: { d: string }) => e.d).join('\n')).not.toContain('Some Street');
      const again = await t.http.post('/v1/admin/privacy/export').set(auth()).send({ email });
      expect(again.body).toMatchObject({ comments: [], bans: [] });
    });
  });
});
