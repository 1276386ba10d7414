import {
  COMMENT_STATUSES,
  receiptStatus,
  type CommentStatus,
  type ReceiptStatus,
} from './comment-status.js';

describe('receiptStatus', () => {
  const expected: Record<CommentStatus, ReceiptStatus> = {
    pending: 'pending',
    approved: 'published',
    held: 'awaiting_moderation',
    spam: 'awaiting_moderation',
    rejected: 'rejected',
    deleted: 'rejected',
  };

  it.each(Object.entries(expected))('shows a %s comment as %s', (status, shown) => {
    expect(receiptStatus(status as CommentStatus)).toBe(shown);
  });

  it('never tells a spammer they were caught: spam reads exactly like held', () => {
    expect(receiptStatus('spam')).toBe(receiptStatus('held'));
  });

  it('maps every status to one of the four contract values', () => {
    for (const status of COMMENT_STATUSES) {
      expect(['pending', 'awaiting_moderation', 'published', 'rejected']).toContain(
        receiptStatus(status),
      );
    }
    expect(COMMENT_STATUSES).toHaveLength(Object.keys(expected).length);
  });
});
