import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit } from '../utils/api.js';
import { ADMIN_TOKEN, createTestApp, waitFor, type TestApp } from '../utils/test-app.js';

interface SseEvent {
  id: string;
  event: string;
  data: { id: string; status: string; email: string | null; siteId: string };
}

/** Reads a Server-Sent Events response with a bearer token (what the console does). */
function follow(url: string, token: string, lastEventId?: string) {
  const events: SseEvent[] = [];
  const controller = new AbortController();
  let markOpen: () => void = () => undefined;
  /** Resolves once the stream answered: the server subscribes before it sends the headers. */
  const opened = new Promise<void>((resolve) => (markOpen = resolve));
  const done = (async () => {
    const res = await fetch(url, {
      headers: {
        authorization: `Bearer ${token}`,
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal: controller.signal,
    });
    if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
    markOpen();
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}: `))
            ?.slice(name.length + 2);
        const data = field('data');
        if (data) events.push({ id: field('id')!, event: field('event')!, data: JSON.parse(data) });
      }
    }
  })().catch((error: unknown) => {
    if ((error as Error).name !== 'AbortError') throw error;
  });
  return { events, close: () => controller.abort(), done, opened: Promise.race([opened, done]) };
}

describe('the moderators’ live stream', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { EVENTS_RELAY_POLL_MS: '100' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    await putSite(t, 'desk-a', { name: 'A', settings: { moderation: { mode: 'pre' } } });
    await putSite(t, 'desk-b', { name: 'B', settings: { moderation: { mode: 'pre' } } });
  });
  afterAll(() => t.close());

  it('sends new held comments and decisions, with the email, only for the token’s sites', async () => {
    const scoped = await t.http
      .post('/v1/admin/tokens')
      .set(auth())
      .send({ name: 'desk a', role: 'moderator', siteIds: ['desk-a'] });
    const all = follow(`${base}/v1/moderation/stream`, ADMIN_TOKEN);
    const onlyA = follow(`${base}/v1/moderation/stream`, scoped.body.token as string);
    await Promise.all([all.opened, onlyA.opened]);

    const a = await submit(t, uniqueArticle(), makeComment({ email: 'held@example.org' }), {
      siteId: 'desk-a',
    });
    const b = await submit(t, uniqueArticle(), makeComment(), { siteId: 'desk-b' });
    await waitFor(() => Promise.resolve(all.events.length >= 2 && onlyA.events.length >= 1));
    expect(all.events.map((e) => [e.event, e.data.id]).sort()).toEqual(
      [
        ['comment.held', a.body.id],
        ['comment.held', b.body.id],
      ].sort(),
    );
    const heldA = all.events.find((e) => e.data.id === a.body.id)!;
    expect(heldA.data).toMatchObject({
      status: 'held',
      email: 'held@example.org',
      siteId: 'desk-a',
    });

    await t.http
      .post(`/v1/moderation/comments/${a.body.id}/decision`)
      .set(auth())
      .send({ action: 'approve' })
      .expect(200);
    await waitFor(() => Promise.resolve(onlyA.events.some((e) => e.event === 'comment.approved')));
    expect(onlyA.events.map((e) => e.data.siteId)).toEqual(['desk-a', 'desk-a']);

    // Resume after the first event: what came later is replayed from the outbox.
    const resumed = follow(`${base}/v1/moderation/stream?siteId=desk-a`, ADMIN_TOKEN, heldA.id);
    await waitFor(() => Promise.resolve(resumed.events.length >= 1));
    expect(resumed.events[0]).toMatchObject({ event: 'comment.approved', data: { id: a.body.id } });

    for (const s of [all, onlyA, resumed]) s.close();
    await Promise.all([all.done, onlyA.done, resumed.done]);
  });

  it('refuses another site to a scoped token and anyone without a token', async () => {
    const scoped = await t.http
      .post('/v1/admin/tokens')
      .set(auth())
      .send({ name: 'desk a 2', role: 'moderator', siteIds: ['desk-a'] });
    const other = await fetch(`${base}/v1/moderation/stream?siteId=desk-b`, {
      headers: { authorization: `Bearer ${scoped.body.token as string}` },
    });
    expect(other.status).toBe(403);
    await other.body?.cancel();
    const anonymous = await fetch(`${base}/v1/moderation/stream`);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
  });
});
