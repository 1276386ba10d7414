import { randomUUID } from 'node:crypto';
import type { CommentStatus } from '../model/comment-status.js';
import {
  toEventComment,
  toPublicComment,
  toThreadComment,
  tombstone,
  type CommentRow,
} from './comment-views.js';

const PUBLIC_KEYS = ['author', 'bodyHtml', 'createdAt', 'depth', 'id', 'parentId', 'publishedAt'];

/** A row as the repository might hand it over, with private extras attached. */
function makeRow(overrides: Partial<CommentRow> = {}): CommentRow & Record<string, unknown> {
  return {
    id: randomUUID(),
    siteId: 'default',
    articleId: 'a-1',
    parentId: randomUUID(),
    depth: 1,
    path: '0000000000abcdef',
    rootKey: '00000000000abcd',
    authorName: 'Ann',
    authorWebsite: 'https://ann.example',
    authorAvatar: '3f9a1c0e',
    body: 'First!',
    bodyHtml: '<p>First!</p>',
    status: 'approved',
    spamScore: 0.12,
    spamReasons: [{ code: 'links', message: '1 link', weight: 0.15 }],
    moderationReasons: [{ code: 'trusted-author', message: 'ok' }],
    honeypot: false,
    powVerified: null,
    emailIndex: Buffer.from('email-index'),
    ipIndex: Buffer.from('ip-index'),
    createdAt: new Date('2026-03-01T10:00:00.123Z'),
    publishedAt: new Date('2026-03-01T10:00:05.456Z'),
    // What a careless query could also return:
    email: 'ann@example.com',
    emailCiphertext: Buffer.from('ciphertext'),
    emailKeyId: 'k1',
    ip: '203.0.113.7',
    ...overrides,
  };
}

/** Everything private in makeRow() that must never reach a reader, as text. */
const PRIVATE_TEXT = ['ann@example.com', '203.0.113.7', 'email-index', 'ip-index', 'ciphertext'];

function expectNothingPrivate(value: object): void {
  const json = JSON.stringify(value);
  for (const needle of PRIVATE_TEXT) {
    expect(json).not.toContain(needle);
  }
  for (const key of [
    'email',
    'emailIndex',
    'ip',
    'ipIndex',
    'emailCiphertext',
    'body',
    'spamScore',
    'spamReasons',
    'moderationReasons',
    'honeypot',
    'path',
    'rootKey',
  ]) {
    expect(value).not.toHaveProperty(key);
  }
}

describe('toPublicComment', () => {
  it('gives the public shape of an approved comment', () => {
    const row = makeRow();
    expect(toPublicComment(row)).toEqual({
      id: row.id,
      parentId: row.parentId,
      depth: 1,
      author: { name: 'Ann', website: 'https://ann.example', avatar: '3f9a1c0e' },
      bodyHtml: '<p>First!</p>',
      createdAt: '2026-03-01T10:00:00.123Z',
      publishedAt: '2026-03-01T10:00:05.456Z',
    });
  });

  it('has exactly the public keys, never email, IP or index fields', () => {
    const row = makeRow();
    const comment = toPublicComment(row);
    expect(Object.keys(comment).sort()).toEqual(PUBLIC_KEYS);
    expect(Object.keys(comment.author!).sort()).toEqual(['avatar', 'name', 'website']);
    expectNothingPrivate(comment);
  });

  it('writes null for an unpublished comment and a missing website', () => {
    const comment = toPublicComment(
      makeRow({ publishedAt: null, authorWebsite: null, parentId: null }),
    );
    expect(comment.publishedAt).toBeNull();
    expect(comment.parentId).toBeNull();
    expect(comment.author?.website).toBeNull();
  });

  it('has no author once the author was erased', () => {
    expect(toPublicComment(makeRow({ authorName: null, authorWebsite: null })).author).toBeNull();
  });

  it('turns a deleted comment into a tombstone', () => {
    const row = makeRow({ status: 'deleted' });
    const comment = toPublicComment(row);
    expect(comment).toMatchObject({ id: row.id, deleted: true, author: null, bodyHtml: '' });
    expectNothingPrivate(comment);
  });
});

describe('toThreadComment', () => {
  it('shows an approved comment in full, without a deleted flag', () => {
    const row = makeRow();
    const comment = toThreadComment(row);
    expect(comment).toEqual(toPublicComment(row));
    expect(comment).not.toHaveProperty('deleted');
  });

  it.each<CommentStatus>(['pending', 'held', 'spam', 'rejected', 'deleted'])(
    'shows a %s comment as a tombstone',
    (status) => {
      const row = makeRow({ status });
      const comment = toThreadComment(row);
      expect(comment).toEqual({
        id: row.id,
        parentId: row.parentId,
        depth: 1,
        author: null,
        bodyHtml: '',
        createdAt: '2026-03-01T10:00:00.123Z',
        publishedAt: '2026-03-01T10:00:05.456Z',
        deleted: true,
      });
      expect(JSON.stringify(comment)).not.toContain('Ann');
      expect(JSON.stringify(comment)).not.toContain('First!');
      expectNothingPrivate(comment);
    },
  );
});

describe('tombstone', () => {
  it('keeps the position in the thread and drops author and body', () => {
    const row = makeRow({ depth: 3, publishedAt: null });
    expect(tombstone(row)).toEqual({
      id: row.id,
      parentId: row.parentId,
      depth: 3,
      author: null,
      bodyHtml: '',
      createdAt: '2026-03-01T10:00:00.123Z',
      publishedAt: null,
      deleted: true,
    });
  });
});

describe('toEventComment', () => {
  it('is the public shape plus siteId, articleId and status', () => {
    const row = makeRow({ status: 'held' });
    expect(toEventComment(row)).toEqual({
      ...toPublicComment(row),
      siteId: 'default',
      articleId: 'a-1',
      status: 'held',
    });
  });

  it('never carries an email, IP or index', () => {
    const row = makeRow();
    expectNothingPrivate(toEventComment(row));
  });

  it('carries neither author nor body of a rejected or spam comment', () => {
    for (const status of ['rejected', 'spam'] as const) {
      const event = toEventComment(makeRow({ status }));
      expect(event).toMatchObject({ author: null, bodyHtml: '', redacted: true, status });
      expect(event).not.toHaveProperty('deleted');
    }
  });
});
