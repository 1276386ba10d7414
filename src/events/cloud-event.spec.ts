import { toLiveComment } from './live/live-events.hub.js';
import { sourceOf, toCloudEvent, type OutboxRow } from './cloud-event.js';

const row: OutboxRow = {
  sequence: '42',
  eventId: '0b7f3c52-5b1f-4a41-9f53-3f1ad2a0c9de',
  type: 'comment.approved',
  source: sourceOf('news'),
  subject: 'comments/8f0e6a38-3f63-4bb0-8d52-2f6c0a4f7c11',
  createdAt: new Date('2026-11-27T10:00:00.123Z'),
  data: {
    comment: {
      id: '8f0e6a38-3f63-4bb0-8d52-2f6c0a4f7c11',
      parentId: null,
      depth: 0,
      author: { name: 'Ann', website: null, avatar: '3f9a1c0e' },
      bodyHtml: '<p>Hi</p>',
      createdAt: '2026-11-27T09:59:00.000Z',
      publishedAt: '2026-11-27T10:00:00.100Z',
      siteId: 'news',
      articleId: 'a-1',
      status: 'approved',
    },
    previousStatus: 'held',
    reasons: [],
  },
};

/** The CloudEvents 1.0 rules a structured-mode JSON event must follow. */
function cloudEventProblems(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const name of ['id', 'source', 'specversion', 'type']) {
    if (typeof event[name] !== 'string' || event[name] === '') problems.push(`${name} required`);
  }
  if (event.specversion !== '1.0') problems.push('specversion must be 1.0');
  if (typeof event.time !== 'string' || Number.isNaN(Date.parse(event.time))) {
    problems.push('time must be RFC 3339');
  }
  for (const [name, value] of Object.entries(event)) {
    if (!/^[a-z0-9]{1,20}$/.test(name)) problems.push(`attribute name ${name}`);
    if (name !== 'data' && typeof value !== 'string') problems.push(`${name} must be a string`);
  }
  return problems;
}

describe('toCloudEvent', () => {
  const event = toCloudEvent(row);

  it('builds a valid CloudEvents 1.0 structured event with the sequence extension', () => {
    expect(cloudEventProblems(event as unknown as Record<string, unknown>)).toEqual([]);
    expect(event).toEqual({
      specversion: '1.0',
      id: row.eventId,
      source: '/sites/news',
      type: 'comment.approved',
      subject: row.subject,
      time: '2026-11-27T10:00:00.123Z',
      datacontenttype: 'application/json',
      sequence: '00000000000000000042',
      data: { ...row.data, surrogateKeys: ['thread:news/a-1', 'site:news'] },
    });
  });

  it("names the CDN keys of the comment's article for a purger (data.surrogateKeys)", () => {
    const held = toCloudEvent({ ...row, type: 'comment.rejected' });
    expect(held.data.surrogateKeys).toEqual(['thread:news/a-1', 'site:news']);
    // An event without a comment's site and article adds nothing.
    expect(toCloudEvent({ ...row, data: { reasons: [] } }).data).toEqual({ reasons: [] });
  });

  it('zero-pads the sequence so that text order is number order (sequence extension)', () => {
    const sequences = [9, 10, 99, 100, 1234567].map(
      (n) => toCloudEvent({ ...row, sequence: String(n) }).sequence,
    );
    expect(sequences.every((s) => s.length === 20)).toBe(true);
    expect([...sequences].sort()).toEqual(sequences);
    expect(sequences.map(Number)).toEqual([9, 10, 99, 100, 1234567]);
  });

  it('serialises to the same JSON every time (the bytes webhooks sign)', () => {
    expect(JSON.stringify(toCloudEvent(row))).toBe(JSON.stringify(event));
  });
});

describe('toLiveComment', () => {
  it('gives the public comment of an approved event, without the event-only fields', () => {
    expect(toLiveComment(toCloudEvent(row))).toEqual({
      sequence: '00000000000000000042',
      siteId: 'news',
      articleId: 'a-1',
      comment: {
        id: '8f0e6a38-3f63-4bb0-8d52-2f6c0a4f7c11',
        parentId: null,
        depth: 0,
        author: { name: 'Ann', website: null, avatar: '3f9a1c0e' },
        bodyHtml: '<p>Hi</p>',
        createdAt: '2026-11-27T09:59:00.000Z',
        publishedAt: '2026-11-27T10:00:00.100Z',
      },
    });
  });

  it('ignores other event types and malformed payloads', () => {
    expect(toLiveComment(toCloudEvent({ ...row, type: 'comment.held' }))).toBeNull();
    expect(toLiveComment({ type: 'comment.approved', sequence: '1', data: {} })).toBeNull();
  });
});
