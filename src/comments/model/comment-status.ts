export const COMMENT_STATUSES = [
  'pending',
  'approved',
  'held',
  'rejected',
  'spam',
  'deleted',
] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** What the author's own browser may learn about its comment (GET /v1/comments/{id}). */
export type ReceiptStatus = 'pending' | 'awaiting_moderation' | 'published' | 'rejected';

export function receiptStatus(status: CommentStatus): ReceiptStatus {
  switch (status) {
    case 'pending':
      return 'pending';
    case 'held':
    case 'spam': // never tell a spammer they were caught
      return 'awaiting_moderation';
    case 'approved':
      return 'published';
    case 'rejected':
    case 'deleted':
      return 'rejected';
  }
}
