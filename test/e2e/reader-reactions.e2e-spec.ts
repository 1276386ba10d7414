import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { sql } from '../utils/events.js';
import { createTestApp, flushPrefix, redisClient, type TestApp } from '../utils/test-app.js';

interface ThreadComment {
  id: string;
  parentId: string | null;
  likes?: number;
  featured?: boolean;
  deleted?: true;
}

/**
 * Issue 20 over HTTP: likes (one per reader, taken back, rate-limited, counted without lost
 * updates and kept in PostgreSQL), `sort=top`, featured comments and `closed` on the thread.
 * Readers are told apart by their address: the app trusts X-Forwarded-For from loopback.
 */
describe('readers’ reactions, top order, featured comments and closed threads', () => {
  let t: TestApp;
  const SITE = 'reader-site';

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    await putSite(t, SITE, { name: 'Readers', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(() => t?.close());

  let readerSeq = 0;
  /** A fresh reader address (documentation range 198.18.0.0/15). */
  const newReader = () => {
    readerSeq++;
    return `198.18.${Math.floor(readerSeq / 250)}.${(readerSeq % 250) + 1}`;
  };

  const like = (id: string, reader: string) =>
    t.http
      .post(`/v1/comments/${id}/reactions`)
      .set('X-Forwarded-For', reader)
      .send({ type: 'like' });
  const unlike = (id: string, reader: string) =>
    t.http.delete(`/v1/comments/${id}/reactions`).set('X-Forwarded-For', reader);

  async function published(article: string, body: string, parentId?: string): Promise<string> {
    const res = await submit(t, article, makeComment({ body, ...(parentId ? { parentId } : {}) }), {
      siteId: SITE,
    });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    await waitForStatus(t, id, ['approved']);
    return id;
  }

  async function comments(article: string, query = ''): Promise<ThreadComment[]> {
    const res = await thread(t, article, query, SITE);
    expect(res.status).toBe(200);
    return res.body.comments as ThreadComment[];
  }

  describe('likes', () => {
    it('counts one like per reader, takes it back with DELETE, and shows `likes` on the thread', async () => {
      const article = uniqueArticle('likes');
      const id = await published(article, 'A comment worth liking');
      expect((await comments(article))[0]).toMatchObject({ id, likes: 0, featured: false });

      const ann = newReader();
      const bob = newReader();
      expect((await like(id, ann)).body).toEqual({ likes: 1 });
      // A repeat changes nothing.
      const again = await like(id, ann);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ likes: 1 });
      expect((await like(id, bob)).body).toEqual({ likes: 2 });
      expect((await comments(article))[0].likes).toBe(2);

      expect((await unlike(id, ann)).body).toEqual({ likes: 1 });
      expect((await unlike(id, ann)).body).toEqual({ likes: 1 });
      expect((await comments(article))[0].likes).toBe(1);
      expect((await like(id, ann)).body).toEqual({ likes: 2 });

      // Only the reader's keyed hash is stored, never the address.
      const rows = await sql<{ reader: Buffer }>(
        t,
        `SELECT reader FROM comment_reactions WHERE comment_id = $1`,
        [id],
      );
      expect(rows).toHaveLength(2);
      for (const { reader } of rows) {
        expect(reader.toString('latin1')).not.toContain(ann);
        expect(reader.toString('latin1')).not.toContain(bob);
      }
    });

    it('refuses unknown or unpublished comments and bad reaction types', async () => {
      const reader = newReader();
      const unknown = await like('00000000-0000-4000-8000-000000000000', reader);
      expect(unknown.status).toBe(404);
      expect(unknown.headers['content-type']).toMatch(/problem\+json/);

      const held = await submit(t, uniqueArticle('held'), makeComment({ body: 'Held one' }));
      await waitForStatus(t, held.body.id as string, ['held']);
      expect((await like(held.body.id as string, reader)).status).toBe(404);

      const article = uniqueArticle('bad-type');
      const id = await published(article, 'Typed');
      const bad = await t.http
        .post(`/v1/comments/${id}/reactions`)
        .set('X-Forwarded-For', reader)
        .send({ type: 'love' });
      expect(bad.status).toBe(400);
      const extra = await t.http
        .post(`/v1/comments/${id}/reactions`)
        .set('X-Forwarded-For', reader)
        .send({ type: 'like', count: 5 });
      expect(extra.status).toBe(400);
      expect(
        (await sql(t, `SELECT 1 FROM comment_reactions WHERE comment_id = $1`, [id])).length,
      ).toBe(0);
    });

    it('limits how fast one reader reacts (429 with Retry-After)', async () => {
      const article = uniqueArticle('limit');
      const ids = [await published(article, 'One'), await published(article, 'Two')];
      const reader = newReader();
      const answers: number[] = [];
      for (let i = 0; i < 32; i++) {
        const res = i % 2 === 0 ? await like(ids[0], reader) : await unlike(ids[0], reader);
        answers.push(res.status);
        if (res.status === 429) {
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
          break;
        }
      }
      expect(answers.filter((s) => s === 200)).toHaveLength(30);
      expect(answers.at(-1)).toBe(429);
      // Another reader is not affected.
      expect((await like(ids[1], newReader())).status).toBe(200);
    });

    it('loses no update when many readers like one comment at once, and counts a reader’s racing repeats once', async () => {
      const article = uniqueArticle('race');
      const id = await published(article, 'Popular');
      const readers = Array.from({ length: 60 }, newReader);
      const answers = await Promise.all(readers.map((r) => like(id, r)));
      expect(answers.every((r) => r.status === 200)).toBe(true);
      const same = newReader();
      await Promise.all(Array.from({ length: 10 }, () => like(id, same)));
      // Half of them take their like back, concurrently.
      await Promise.all(readers.slice(0, 30).map((r) => unlike(id, r)));

      expect((await comments(article))[0].likes).toBe(31);
      const [{ rows, counted, shards }] = await sql<{
        rows: number;
        counted: number;
        shards: number;
      }>(
        t,
        `SELECT (SELECT count(*)::int FROM comment_reactions WHERE comment_id = $1) AS rows,
                (SELECT sum(n)::int FROM comment_reaction_counts WHERE comment_id = $1) AS counted,
                (SELECT count(*)::int FROM comment_reaction_counts WHERE comment_id = $1) AS shards`,
        [id],
      );
      expect(rows).toBe(31);
      expect(counted).toBe(31);
      // Spread over several counter rows, not one hot row.
      expect(shards).toBeGreaterThan(4);
    });

    it('keeps the counts when Redis loses everything (they live in PostgreSQL)', async () => {
      const article = uniqueArticle('durable');
      const id = await published(article, 'Durable');
      for (let i = 0; i < 3; i++) await like(id, newReader());
      const redis = redisClient();
      try {
        await flushPrefix(redis, t.config.redis.prefix);
      } finally {
        redis.disconnect();
      }
      expect((await comments(article))[0].likes).toBe(3);
    });
  });

  describe('sort=top', () => {
    it('orders root threads by likes, then newest, with replies under their root, across pages', async () => {
      const article = uniqueArticle('top');
      const a = await published(article, 'Root A');
      const b = await published(article, 'Root B');
      const c = await published(article, 'Root C');
      const d = await published(article, 'Root D');
      const replyToA = await published(article, 'Reply to A', a);
      for (let i = 0; i < 3; i++) await like(b, newReader());
      await like(a, newReader());
      // A reply's likes do not lift its thread.
      for (let i = 0; i < 5; i++) await like(replyToA, newReader());

      const all = await comments(article, '?sort=top');
      expect(all.map((x) => x.id)).toEqual([b, a, replyToA, d, c]);

      // Page by page (limit 2) gives the same order, nothing twice, nothing missing.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query = `?sort=top&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await thread(t, article, query, SITE);
        expect(res.status).toBe(200);
        seen.push(...(res.body.comments as ThreadComment[]).map((x) => x.id));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      expect(seen).toEqual([b, a, replyToA, d, c]);

      // A cursor of another order is refused.
      const first = await thread(t, article, '?sort=top&limit=2', SITE);
      const wrong = await thread(
        t,
        article,
        `?sort=oldest&limit=2&cursor=${first.body.nextCursor}`,
        SITE,
      );
      expect(wrong.status).toBe(400);
    });

    it('follows a new like at once (the cached page is dropped)', async () => {
      const article = uniqueArticle('top-cache');
      const a = await published(article, 'First root');
      const b = await published(article, 'Second root');
      expect((await comments(article, '?sort=top')).map((x) => x.id)).toEqual([b, a]);
      await like(a, newReader());
      expect((await comments(article, '?sort=top')).map((x) => x.id)).toEqual([a, b]);
    });
  });

  describe('featured comments', () => {
    const feature = (id: string) =>
      t.http.post(`/v1/moderation/comments/${id}/feature`).set(auth()).send({});
    const unfeature = (id: string) =>
      t.http.delete(`/v1/moderation/comments/${id}/feature`).set(auth());

    it('features an approved comment: audited, one comment.featured event, marked in the thread and listed alone', async () => {
      const article = uniqueArticle('featured');
      const plain = await published(article, 'Plain');
      const pick = await published(article, 'Editors’ pick');

      const res = await feature(pick);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: pick, featured: true, status: 'approved' });
      expect((await feature(pick)).status).toBe(200); // again: nothing changes

      const all = await comments(article);
      expect(all.find((x) => x.id === pick)?.featured).toBe(true);
      expect(all.find((x) => x.id === plain)?.featured).toBe(false);
      expect((await comments(article, '?featured=true')).map((x) => x.id)).toEqual([pick]);
      expect((await comments(article, '?featured=false')).map((x) => x.id)).toEqual([plain, pick]);

      const events = await sql<{ type: string; data: { comment: { featured: boolean } } }>(
        t,
        `SELECT type, data FROM outbox_events WHERE subject = $1 AND type = 'comment.featured'`,
        [`comments/${pick}`],
      );
      expect(events).toHaveLength(1);
      expect(events[0].data.comment.featured).toBe(true);
      const item = await t.http.get(`/v1/moderation/comments/${pick}`).set(auth());
      expect(item.body.history.map((h: { action: string }) => h.action)).toContain('feature');

      const off = await unfeature(pick);
      expect(off.status).toBe(200);
      expect(off.body.featured).toBe(false);
      expect(await comments(article, '?featured=true')).toEqual([]);
      const after = await sql(
        t,
        `SELECT 1 FROM outbox_events WHERE subject = $1 AND type = 'comment.featured'`,
        [`comments/${pick}`],
      );
      expect(after).toHaveLength(2);
    });

    it('refuses to feature a comment that is not approved (409) or does not exist (404)', async () => {
      const held = await submit(t, uniqueArticle('held-feature'), makeComment({ body: 'Held' }));
      const id = held.body.id as string;
      await waitForStatus(t, id, ['held']);
      const res = await feature(id);
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect((await feature('00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await t.http.post(`/v1/moderation/comments/${id}/feature`).send({})).status).toBe(
        401,
      );
    });

    it('keeps a taken-down featured comment out of the featured list', async () => {
      const article = uniqueArticle('featured-down');
      const id = await published(article, 'Soon taken down');
      expect((await feature(id)).status).toBe(200);
      await t.http
        .post(`/v1/moderation/comments/${id}/decision`)
        .set(auth())
        .send({ action: 'reject' })
        .expect(200);
      expect(await comments(article, '?featured=true')).toEqual([]);
    });
  });

  describe('closed threads', () => {
    it('says whether the thread is closed, at once after an admin closes or reopens it', async () => {
      const article = uniqueArticle('closing');
      await published(article, 'Before closing');
      const open = await thread(t, article, '', SITE);
      expect(open.body).toMatchObject({ closed: false, count: 1 });
      await t.http
        .put(`/v1/admin/sites/${SITE}/articles/${article}`)
        .set(auth())
        .send({ closed: true })
        .expect(200);
      expect((await thread(t, article, '', SITE)).body).toMatchObject({ closed: true, count: 1 });
      await t.http
        .put(`/v1/admin/sites/${SITE}/articles/${article}`)
        .set(auth())
        .send({ closed: false })
        .expect(200);
      expect((await thread(t, article, '', SITE)).body.closed).toBe(false);
      // An article nobody commented on is open.
      expect((await thread(t, uniqueArticle('never'), '', SITE)).body.closed).toBe(false);
    });

    it('counts closeAfterDays from the first comment', async () => {
      await putSite(t, 'closes-fast', {
        name: 'Closes',
        settings: { moderation: { mode: 'post', closeAfterDays: 1 } },
      });
      const article = uniqueArticle('old');
      const res = await submit(t, article, makeComment({ body: 'Old story' }), {
        siteId: 'closes-fast',
      });
      await waitForStatus(t, res.body.id as string, ['approved']);
      expect((await thread(t, article, '', 'closes-fast')).body.closed).toBe(false);
      await sql(
        t,
        `UPDATE articles SET first_comment_at = now() - interval '2 days' WHERE article_id = $1`,
        [article],
      );
      // A new query (limit) is not cached yet.
      expect((await thread(t, article, '?limit=7', 'closes-fast')).body.closed).toBe(true);
    });
  });
});
