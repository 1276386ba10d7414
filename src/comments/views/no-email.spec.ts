import { randomUUID } from 'node:crypto';
import type { CommentStatus } from '../model/comment-status.js';
import {
  toModerationComment,
  toSiteExportComment,
  toSubjectExportComment,
  type ModerationRow,
} from './comment-private-views.js';
import {
  EVENT_COMMENT_SQL,
  PUBLIC_FIELDS,
  SUBJECT_EXPORT_ROW,
  THREAD_ROW,
  selectColumns,
} from './comment-projection.js';
import {
  toEventComment,
  toLiveComment,
  toPublicComment,
  toThreadComment,
  tombstone,
} from './comment-views.js';

/**
 * "No email, ever": one guard for every outward shape of a comment (views/ is the one place
 * they are built). Only the moderators' shape and the site export name the author's address,
 * in their `email` field and as the caller decrypted it; nothing else carries an address, a
 * blind index, a ciphertext, a key id, a client address or an SSO subject.
 */
const EMAIL = 'ann.private@example.com';
const PRIVATE = {
  emailIndex: Buffer.from('EMAIL-INDEX-MARK'),
  ipIndex: Buffer.from('IP-INDEX-MARK'),
  emailCiphertext: Buffer.from(`CIPHERTEXT-MARK ${EMAIL}`),
  emailKeyId: 'KEY-ID-MARK',
  identitySub: 'SSO-SUB-MARK',
  trustReceipts: ['RECEIPT-MARK'],
};
const MARKS = [
  EMAIL,
  'EMAIL-INDEX-MARK',
  'IP-INDEX-MARK',
  'CIPHERTEXT-MARK',
  'KEY-ID-MARK',
  'RECEIPT-MARK',
  // Buffers serialise as byte arrays: look for the marks' bytes too.
  JSON.stringify([...Buffer.from('EMAIL-INDEX-MARK')]).slice(1, -1),
  JSON.stringify([...Buffer.from('CIPHERTEXT-MARK')]).slice(1, -1),
];
const PRIVATE_KEYS = [
  'email',
  'emailIndex',
  'emailCiphertext',
  'emailKeyId',
  'ip',
  'ipIndex',
  'identitySub',
  'trustReceipts',
  'requestFingerprint',
  'idempotencyKey',
];

function row(status: CommentStatus): ModerationRow {
  return {
    id: randomUUID(),
    siteId: 'default',
    articleId: 'a-1',
    parentId: null,
    depth: 0,
    path: '0000000000abcdef',
    rootKey: '0000000000abcde',
    // The author's name and site are public; an address must not ride in them.
    authorName: 'Ann',
    authorWebsite: 'https://ann.example',
    authorAvatar: 'a1b2c3',
    body: 'Hello',
    bodyHtml: '<p>Hello</p>',
    status,
    spamScore: 0.1,
    spamReasons: [],
    moderationReasons: [],
    honeypot: false,
    powVerified: null,
    createdAt: new Date('2026-03-01T10:00:00.000Z'),
    publishedAt: status === 'pending' ? null : new Date('2026-03-01T10:00:01.000Z'),
    featured: false,
    ...PRIVATE,
  };
}

const STATUSES: CommentStatus[] = ['pending', 'approved', 'held', 'rejected', 'spam', 'deleted'];

function expectNoPrivateData(shape: object, allowEmailField = false): void {
  const json = JSON.stringify(shape);
  const { email, ...rest } = shape as { email?: unknown };
  const checked = allowEmailField ? JSON.stringify(rest) : json;
  for (const mark of MARKS) expect(checked).not.toContain(mark);
  for (const key of PRIVATE_KEYS) {
    if (allowEmailField && key === 'email') continue;
    expect(shape).not.toHaveProperty(key);
  }
  if (allowEmailField) expect(email === null || email === EMAIL).toBe(true);
  // Never the SSO subject's raw value outside the moderators' `identity`.
  if (!allowEmailField) expect(json).not.toContain('SSO-SUB-MARK');
}

describe('no email, ever: every outward shape of a comment', () => {
  it.each(STATUSES)('public, thread, tombstone, event and live shapes of a %s comment', (s) => {
    const r = row(s);
    expectNoPrivateData(toPublicComment(r));
    expectNoPrivateData(toThreadComment({ ...r, likes: 3 }));
    expectNoPrivateData(tombstone(r));
    const event = toEventComment(r);
    expectNoPrivateData(event);
    const live = toLiveComment(event);
    if (live) expectNoPrivateData(live);
  });

  it.each(STATUSES)('the data subject export of a %s comment', (s) => {
    const r = row(s);
    const decision = {
      commentId: r.id,
      action: 'approve',
      fromStatus: 'held' as const,
      toStatus: 'approved' as const,
      reason: null,
      reasons: [],
      createdAt: new Date(),
    };
    expectNoPrivateData(toSubjectExportComment(r, [decision]));
  });

  it.each(STATUSES)('moderators and the site export see the address only as `email` (%s)', (s) => {
    const r = row(s);
    const moderation = toModerationComment(r, EMAIL);
    expectNoPrivateData(moderation, true);
    expect(moderation.email).toBe(EMAIL);
    const exported = toSiteExportComment(
      { ...r, deletedAt: null, featuredAt: null, sourceFormat: null, sourceId: null },
      EMAIL,
    );
    expectNoPrivateData(exported, true);
    expect(exported.email).toBe(EMAIL);
    // Erased: no address left to show.
    expect(toModerationComment(r, null).email).toBeNull();
  });

  it('no public SQL projection reads a private column', () => {
    const privateColumn = /email|ip_index|identity_sub|trust_receipts|fingerprint|idempotency/;
    expect(selectColumns(PUBLIC_FIELDS)).not.toMatch(privateColumn);
    expect(THREAD_ROW).not.toMatch(privateColumn);
    expect(EVENT_COMMENT_SQL).not.toMatch(privateColumn);
    expect(SUBJECT_EXPORT_ROW).not.toMatch(privateColumn);
  });
});
