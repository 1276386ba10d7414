import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { createTestApp, transportInspector, type TestApp } from '../utils/test-app.js';

describe('readers’ emails stay in PostgreSQL', () => {
  let t: TestApp;
  const email = 'Private.Person+news@Example.ORG';
  const secretWords = ['private.person', 'Private.Person'];

  beforeAll(async () => {
    // Log everything the service would ever log, to search it.
    t = await createTestApp({ env: { LOG_LEVEL: 'trace' } });
    await putSite(t, 'open', { name: 'Open', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(() => t.close());

  function expectNoEmail(text: string) {
    for (const word of secretWords) expect(text.toLowerCase()).not.toContain(word.toLowerCase());
  }

  it('never shows the email in public responses, the transport, events or log lines', async () => {
    const article = uniqueArticle();
    const res = await submit(t, article, makeComment({ email, name: 'Pat' }), { siteId: 'open' });
    expect(res.status).toBe(202);
    expectNoEmail(JSON.stringify(res.body));
    await waitForStatus(t, res.body.id, ['approved']);
    const reply = await submit(t, article, makeComment({ email, parentId: res.body.id }), {
      siteId: 'open',
    });
    await waitForStatus(t, reply.body.id, ['approved']);

    const page = await thread(t, article, '', 'open');
    expect(page.body.count).toBe(2);
    expectNoEmail(JSON.stringify(page.body));
    for (const c of page.body.comments) {
      expect(Object.keys(c).sort()).toEqual(
        [
          'author',
          'bodyHtml',
          'createdAt',
          'depth',
          'id',
          'parentId',
          'publishedAt',
          'featured',
          'likes',
        ].sort(),
      );
      expect(Object.keys(c.author).sort()).toEqual(['avatar', 'name', 'website']);
    }
    // The avatar is a keyed tag: the same for one author, not a recomputable hash.
    expect(page.body.comments[0].author.avatar).toBe(page.body.comments[1].author.avatar);

    const receipt = await t.http.get(`/v1/comments/${res.body.id}?receipt=${res.body.receipt}`);
    expectNoEmail(JSON.stringify(receipt.body));

    const transport = transportInspector(t);
    const entries = await transport.entries();
    expect(entries.length).toBeGreaterThan(0);
    // The jobs of these four stages are there to search (ids only), and the counters.
    expect((await transport.jobPayloads()).join('\n')).toContain(res.body.id);
    expect(await transport.keysOrCounters()).not.toHaveLength(0);
    for (const { key, value, publicCopy } of entries) {
      expectNoEmail(key);
      expectNoEmail(value);
      // Jobs and counters hold no personal data at all; only what is public anyway (the
      // name readers see) is in the event stream, pub/sub messages and the thread cache.
      if (!publicCopy) expect(value).not.toContain('Pat');
    }

    const events = await t.app
      .get((await import('typeorm')).DataSource)
      .query(`SELECT data FROM outbox_events`);
    expect(events.length).toBeGreaterThanOrEqual(4);
    for (const e of events) expectNoEmail(JSON.stringify(e.data));

    expect(t.logs.length).toBeGreaterThan(0);
    for (const line of t.logs) expectNoEmail(line);
  });

  it('stores the email only encrypted, with a blind index, and shows it to moderators', async () => {
    const article = uniqueArticle();
    const res = await submit(t, article, makeComment({ email }), { siteId: 'open' });
    await waitForStatus(t, res.body.id, ['approved']);
    const { DataSource } = await import('typeorm');
    const rows = await t.app
      .get(DataSource)
      .query(`SELECT * FROM comments WHERE id = $1`, [res.body.id]);
    const stored = JSON.stringify(rows[0], (_k, v: unknown) =>
      v && typeof v === 'object' && 'type' in v && (v as { type: string }).type === 'Buffer'
        ? Buffer.from((v as unknown as { data: number[] }).data).toString('latin1')
        : v,
    );
    expectNoEmail(stored);
    expect(rows[0].email_ciphertext).toBeInstanceOf(Buffer);
    expect(rows[0].email_index).toHaveLength(32);

    const item = await t.http.get(`/v1/moderation/comments/${res.body.id}`).set(auth());
    expect(item.body.email).toBe(email.toLowerCase());
  });
});
