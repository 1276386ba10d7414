import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, thread, waitForStatus } from '../utils/api.js';
import { listen, openSse, type SseClient, submitAsReader } from '../utils/events.js';
import { createTestApp, waitFor, type TestApp } from '../utils/test-app.js';

const ENV = { EVENTS_RELAY_POLL_MS: '100', SSE_HEARTBEAT_MS: '200', TRUST_PROXY: 'loopback' };

describe('live comments over Server-Sent Events', () => {
  let t: TestApp;
  let base: string;
  const clients: SseClient[] = [];

  const streamPath = (article: string, site = 'live') =>
    `/v1/sites/${site}/articles/${article}/comments/stream`;

  const connect = async (url: string, headers: Record<string, string> = {}) => {
    const client = await openSse(url, headers);
    clients.push(client);
    return client;
  };

  const publish = async (article: string, body = 'A live reply') => {
    const comment = makeComment({ body });
    const res = await submitAsReader(t, article, comment, 'live');
    expect(res.status).toBe(202);
    await waitForStatus(t, res.body.id, ['approved']);
    return { id: res.body.id as string, comment };
  };

  const eventsOf = (client: SseClient, n: number) =>
    waitFor(() => Promise.resolve(client.events.length >= n ? client.events : null), {
      what: `${n} live events`,
    });

  beforeAll(async () => {
    t = await createTestApp({ env: ENV });
    await putSite(t, 'live', {
      name: 'Live',
      allowedOrigins: ['https://news.example'],
      settings: { moderation: { mode: 'post' } },
    });
    base = await listen(t);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await t.close();
  });

  it('sends each newly published comment of the article, in its public shape, and heartbeats', async () => {
    const article = uniqueArticle();
    const client = await connect(base + streamPath(article));
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(client.headers['cache-control']).toMatch(/no-cache/);
    expect(client.headers['x-content-type-options']).toBe('nosniff'); // helmet's headers kept
    expect(client.headers['access-control-allow-origin']).toBeUndefined();
    const widget = await connect(base + streamPath(article), { Origin: 'https://news.example' });
    expect(widget.headers['access-control-allow-origin']).toBe('https://news.example');
    widget.close();

    await publish(uniqueArticle()); // another article: not on this stream
    const { id, comment } = await publish(article, 'Live *news*');
    const [event] = await eventsOf(client, 1);
    expect(client.events).toHaveLength(1);
    expect(event.event).toBe('comment.approved');
    expect(event.data).not.toContain(comment.email);

    const page = await thread(t, article, '', 'live');
    // The thread adds what readers did since (likes) and editors' picks to the same shape.
    const { likes, featured, ...shape } = page.body.comments[0] as Record<string, unknown>;
    expect({ likes, featured }).toEqual({ likes: 0, featured: false });
    expect(JSON.parse(event.data)).toEqual(shape);
    expect(page.body.comments[0].id).toBe(id);

    const log = await t.http.get('/v1/events?types=comment.approved&limit=1000').set(auth());
    const approved = log.body.events.find(
      (e: { data: { comment: { id: string } } }) => e.data.comment.id === id,
    );
    expect(event.id).toBe(approved.sequence);

    await waitFor(() => Promise.resolve(client.comments.includes('keep-alive')), {
      what: 'a heartbeat',
    });
  });

  it('resumes after Last-Event-ID: replays what was missed, then goes on live', async () => {
    const article = uniqueArticle();
    const first = await connect(base + streamPath(article));
    const one = await publish(article, 'one');
    const [seen] = await eventsOf(first, 1);
    first.close();

    const two = await publish(article, 'two');
    const three = await publish(article, 'three');
    const resumed = await connect(base + streamPath(article), { 'Last-Event-ID': seen.id! });
    await eventsOf(resumed, 2);
    const four = await publish(article, 'four');
    const events = await eventsOf(resumed, 3);
    expect(events.map((e) => JSON.parse(e.data).id)).toEqual([two.id, three.id, four.id]);
    const ids = events.map((e) => BigInt(e.id!));
    expect(ids[0]).toBeGreaterThan(BigInt(seen.id!));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    expect(JSON.parse(seen.data).id).toBe(one.id);

    // An id from the future (another deployment) must not mute the stream.
    const future = await connect(base + streamPath(article), { 'Last-Event-ID': '999999999999' });
    const five = await publish(article, 'five');
    const [live] = await eventsOf(future, 1);
    expect(JSON.parse(live.data).id).toBe(five.id);
    expect(resumed.events).toHaveLength(4);
  });

  it('refuses an unknown site (404) or a malformed article id (400) with problem details', async () => {
    const unknown = await t.http.get(streamPath('a-1', 'no-such-site'));
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    const bad = await t.http.get(streamPath('bad%20id'));
    expect(bad.status).toBe(400);
  });

  it('fans out through Redis to another api replica, whose close() ends its streams', async () => {
    const replica = await createTestApp({ role: 'api', shareWith: t, env: ENV });
    let closed = false;
    try {
      const article = uniqueArticle();
      const client = await connect((await listen(replica)) + streamPath(article));
      expect(client.status).toBe(200);
      const { id } = await publish(article, 'to the replica');
      const [event] = await eventsOf(client, 1);
      expect(JSON.parse(event.data).id).toBe(id);

      const started = Date.now();
      await replica.close();
      closed = true;
      await client.ended;
      expect(client.isEnded()).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      if (!closed) await replica.close();
    }
  });
});
