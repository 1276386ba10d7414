import { DataSource } from 'typeorm';
import { CryptoService } from '../../src/common/crypto/crypto.service.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import {
  createTestApp,
  transportInspector,
  TRANSPORT,
  waitFor,
  type TestApp,
} from '../utils/test-app.js';

describe('privacy requests (export and erase by email)', () => {
  let t: TestApp;
  let db: DataSource;
  const email = 'Erase.Me@Example.net';
  const name = 'Zephyrine Quillfeather';

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    db = t.app.get(DataSource);
    await putSite(t, 'open', { name: 'Open', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(() => t.close());

  /** Every text and byte string in every table, to search for what is left of a person. */
  async function everything(): Promise<string[]> {
    const tables: Array<{ table_name: string }> = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const out: string[] = [];
    for (const { table_name } of tables) {
      const rows: Array<Record<string, unknown>> = await db.query(`SELECT * FROM "${table_name}"`);
      for (const row of rows) {
        for (const value of Object.values(row)) {
          if (value instanceof Buffer) out.push(value.toString('hex'));
          else if (value !== null && typeof value === 'object') out.push(JSON.stringify(value));
          else if (['string', 'number', 'boolean'].includes(typeof value))
            out.push(`${value as string}`);
        }
      }
    }
    return out;
  }

  it('exports every comment of the address, and only those', async () => {
    const article = uniqueArticle();
    const mine = await submit(t, article, makeComment({ email, name, body: 'mine' }), {
      siteId: 'open',
    });
    await submit(t, article, makeComment({ body: 'someone else' }), { siteId: 'open' });
    await waitForStatus(t, mine.body.id, ['approved']);
    const res = await t.http
      .post('/v1/admin/privacy/export')
      .set(auth())
      .send({ email: email.toLowerCase() });
    expect(res.status).toBe(200);
    expect(res.body.email).toBe(email.toLowerCase());
    expect(res.body.comments).toEqual([
      expect.objectContaining({ id: mine.body.id, name, body: 'mine', siteId: 'open' }),
    ]);
  });

  it('erases name, email, website, address and body for good, keeping a tombstone for replies', async () => {
    const article = uniqueArticle();
    const root = await t.http
      .post(`/v1/sites/open/articles/${article}/comments`)
      .set('content-type', 'application/json')
      .set('X-Forwarded-For', '192.0.2.99')
      .send(makeComment({ email, name, website: 'https://zephyrine.example', body: 'secretword' }));
    await waitForStatus(t, root.body.id, ['approved']);
    const reply = await submit(t, article, makeComment({ parentId: root.body.id }), {
      siteId: 'open',
    });
    await waitForStatus(t, reply.body.id, ['approved']);
    await t.http
      .post('/v1/moderation/bans')
      .set(auth())
      .send({ email, reason: 'test ban' })
      .expect(201);

    const crypto = t.app.get(CryptoService);
    const traces = [
      email.toLowerCase(),
      name,
      'zephyrine.example',
      'secretword',
      crypto.emailIndex(email).toString('hex'),
      crypto.ipIndex('192.0.2.99').toString('hex'),
    ];
    const before = (await everything()).join('\n').toLowerCase();
    expect(traces.some((trace) => before.includes(trace.toLowerCase()))).toBe(true);
    // The transport counts submissions by the address's and email's blind indexes.
    const inTransport = (await transportInspector(t).keysOrCounters()).join('\n');
    expect(inTransport).toContain(crypto.emailIndex(email).toString('hex'));
    expect(inTransport).toContain(crypto.ipIndex('192.0.2.99').toString('hex'));

    const erase = await t.http.post('/v1/admin/privacy/erase').set(auth()).send({ email });
    expect(erase.status).toBe(200);
    expect(erase.body.erased).toBeGreaterThanOrEqual(2); // this test's comment and the export one

    const after = (await everything()).join('\n').toLowerCase();
    for (const trace of traces) expect(after).not.toContain(trace.toLowerCase());

    // Nor in the transport (the event stream, pub/sub messages, jobs, counters keyed by the
    // blind indexes), once the relay has caught up.
    await waitFor(async () => {
      const [row] = await db.query(
        `SELECT count(*)::int AS n FROM outbox_events WHERE relayed_at IS NULL`,
      );
      return row.n === 0;
    });
    const stored = (await transportInspector(t).entries()).map((e) => `${e.key} ${e.value}`);
    expect(stored.length).toBeGreaterThan(0);
    if (TRANSPORT === 'redis') {
      // The stream keeps the other events: only this subject's copies went.
      expect(stored.some((entry) => entry.startsWith(`${t.config.redis.prefix}:events `))).toBe(
        true,
      );
    }
    const transport = stored.join('\n').toLowerCase();
    for (const trace of traces) expect(transport).not.toContain(trace.toLowerCase());

    const page = await thread(t, article, '', 'open');
    expect(page.body.count).toBe(1);
    expect(page.body.comments[0]).toMatchObject({ id: root.body.id, deleted: true, author: null });
    expect(page.body.comments[1]).toMatchObject({ id: reply.body.id });

    const again = await t.http.post('/v1/admin/privacy/erase').set(auth()).send({ email });
    expect(again.body).toEqual({ erased: 0 });
    const exported = await t.http.post('/v1/admin/privacy/export').set(auth()).send({ email });
    expect(exported.body.comments).toEqual([]);

    const audit = await t.http.get('/v1/admin/audit?targetType=privacy').set(auth());
    expect(audit.body.items.map((i: { action: string }) => i.action)).toEqual(
      expect.arrayContaining(['privacy.erase', 'privacy.export']),
    );
    expect(JSON.stringify(audit.body)).not.toContain(email.toLowerCase());
  });
});
