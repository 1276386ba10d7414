import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, thread, waitForStatus } from '../utils/api.js';
import {
  listen,
  openSse,
  sql,
  startWebhookReceiver,
  submitAsReader,
  type SseClient,
  type WebhookReceiver,
} from '../utils/events.js';
import { createTestApp, waitFor, type TestApp } from '../utils/test-app.js';

/**
 * Issue 13, item 1: a take-down is a take-down. Whatever is public is computed from the
 * current state: a comment rejected, marked spam, deleted or erased after it was published is
 * not replayed on the live stream, its stored events lose author and body (pull API), and a
 * webhook retried after the take-down carries the redacted comment.
 */
describe('a take-down reaches every replay', () => {
  let t: TestApp;
  let base: string;
  const clients: SseClient[] = [];
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        EVENTS_RELAY_POLL_MS: '100',
        TRUST_PROXY: 'loopback',
        WEBHOOK_RETRY_BASE_MS: '1500',
        WEBHOOK_ALLOW_PRIVATE: 'true',
      },
    });
    await putSite(t, 'takedown', { name: 'Takedown', settings: { moderation: { mode: 'post' } } });
    base = await listen(t);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const receiver of receivers) await receiver.close();
    await t.close();
  });

  const publish = async (article: string, body: string) => {
    const comment = makeComment({ body });
    const res = await submitAsReader(t, article, comment, 'takedown');
    expect(res.status).toBe(202);
    await waitForStatus(t, res.body.id, ['approved']);
    return { id: res.body.id as string, comment };
  };

  const decide = (id: string, action: string) =>
    t.http.post(`/v1/moderation/comments/${id}/decision`).set(auth()).send({ action });

  it('replays only comments that are approved now (Last-Event-ID: 0)', async () => {
    const article = uniqueArticle();
    const kept = await publish(article, 'This one stays up.');
    const rejected = await publish(article, 'Rejected after publication.');
    const spam = await publish(article, 'Marked spam after publication.');
    const deleted = await publish(article, 'Deleted after publication.');
    const erased = await publish(article, 'Erased after publication.');
    expect((await decide(rejected.id, 'reject')).status).toBe(200);
    expect((await decide(spam.id, 'spam')).status).toBe(200);
    expect((await t.http.delete(`/v1/moderation/comments/${deleted.id}`).set(auth())).status).toBe(
      204,
    );
    const erase = await t.http
      .post('/v1/admin/privacy/erase')
      .set(auth())
      .send({ email: erased.comment.email });
    expect(erase.status).toBe(200);

    const client = await openSse(`${base}/v1/sites/takedown/articles/${article}/comments/stream`, {
      'Last-Event-ID': '0',
    });
    clients.push(client);
    const events = await waitFor(
      () => Promise.resolve(client.events.length >= 1 ? client.events : null),
      { what: 'the replay' },
    );
    // Publish one more: once it arrives, the replay is surely over.
    const after = await publish(article, 'Published after the stream opened.');
    await waitFor(() =>
      Promise.resolve(client.events.some((e) => e.data.includes(after.id)) ? true : null),
    );
    const ids = events.map((e) => (JSON.parse(e.data) as { id: string }).id);
    expect(ids).toEqual([kept.id, after.id]);
    for (const gone of [rejected, spam, deleted, erased]) {
      expect(client.events.map((e) => e.data).join('\n')).not.toContain(gone.comment.body);
    }
    const page = await thread(t, article, '', 'takedown');
    expect(page.body.comments.map((c: { id: string }) => c.id)).toEqual([kept.id, after.id]);
  });

  it('redacts the stored events of a taken-down comment in the pull API', async () => {
    const article = uniqueArticle();
    const { id, comment } = await publish(article, 'Soon to be taken down.');
    expect((await decide(id, 'reject')).status).toBe(200);
    await waitFor(async () => {
      const rows = await sql(
        t,
        `SELECT 1 FROM outbox_events WHERE subject = $1 AND position IS NULL`,
        [`comments/${id}`],
      );
      return rows.length === 0;
    });
    const res = await t.http.get('/v1/events?after=0&limit=1000').set(auth());
    expect(res.status).toBe(200);
    const mine = (
      res.body.events as Array<{
        subject: string;
        type: string;
        data: { comment: Record<string, unknown> };
      }>
    ).filter((e) => e.subject === `comments/${id}`);
    expect(mine.map((e) => e.type)).toEqual([
      'comment.submitted',
      'comment.approved',
      'comment.rejected',
    ]);
    for (const event of mine) {
      expect(event.data.comment).toMatchObject({ id, author: null, bodyHtml: '', redacted: true });
    }
    expect(JSON.stringify(mine)).not.toContain(comment.body);
    expect(JSON.stringify(mine)).not.toContain(comment.name);

    // Approved again by a moderator: the new event carries the comment, the old ones stay redacted.
    expect((await decide(id, 'approve')).status).toBe(200);
    const again = await waitFor(async () => {
      const r = await t.http
        .get('/v1/events?after=0&limit=1000&types=comment.approved')
        .set(auth());
      const hits = (
        r.body.events as Array<{ subject: string; data: { comment: Record<string, unknown> } }>
      ).filter((e) => e.subject === `comments/${id}`);
      return hits.length === 2 ? hits : null;
    });
    expect(again[0].data.comment.redacted).toBe(true);
    expect(again[1].data.comment.author).toMatchObject({ name: comment.name });
  });

  it('retries a webhook with the redacted comment once it was taken down', async () => {
    let first = true;
    const receiver = await startWebhookReceiver(() => {
      if (!first) return 200;
      first = false;
      return 500;
    });
    receivers.push(receiver);
    const created = await t.http
      .post('/v1/admin/webhooks')
      .set(auth())
      .send({ url: receiver.url, events: ['comment.approved'], siteId: 'takedown' });
    expect(created.status).toBe(201);
    const { id, comment } = await publish(uniqueArticle(), 'Approved, then rejected.');
    await waitFor(() => Promise.resolve(receiver.received.length >= 1 ? true : null));
    expect(receiver.received[0].body).toContain(comment.name);
    expect((await decide(id, 'spam')).status).toBe(200);
    await waitFor(() => Promise.resolve(receiver.received.length >= 2 ? true : null));
    const retried = JSON.parse(receiver.received[1].body) as {
      data: { comment: Record<string, unknown> };
    };
    expect(retried.data.comment).toMatchObject({ id, author: null, bodyHtml: '', redacted: true });
    expect(receiver.received[1].body).not.toContain(comment.name);
    expect(receiver.received[1].body).not.toContain(comment.body);
  });
  it('redacts the old text of a published comment its author edited (pull API)', async () => {
    const comment = makeComment({ body: 'The first version, soon replaced.' });
    const res = await submitAsReader(t, uniqueArticle(), comment, 'takedown');
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    await waitForStatus(t, id, ['approved']);
    const edit = await t.http
      .patch(`/v1/comments/${id}`)
      .send({ receipt: res.body.receipt, body: 'The second version, after the edit.' });
    expect(edit.status).toBe(200);
    const events = await waitFor(async () => {
      const r = await t.http.get('/v1/events?after=0&limit=1000').set(auth());
      const mine = (
        r.body.events as Array<{ subject: string; type: string; data: unknown }>
      ).filter((e) => e.subject === `comments/${id}`);
      return mine.some((e) => e.type === 'comment.edited') ? mine : null;
    });
    const text = JSON.stringify(events);
    expect(text).not.toContain('The first version');
    expect(text).toContain('The second version');
  });
});
