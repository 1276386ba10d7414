import { randomBytes, randomUUID } from 'node:crypto';

export interface CommentInput {
  name: string;
  email: string;
  website?: string;
  body: string;
  parentId?: string | null;
  hp?: string;
}

/**
 * Letters that spell no word of the profanity filter, however read: a hex tag would now and
 * then ("f465…" reads "fag" in leetspeak) get a test's comment held for profanity.
 */
const TAG_LETTERS = 'hjmqrvwxyz';

/** A random tag that the moderation rules see as plain text. */
export function plainTag(length = 8): string {
  return Array.from(randomBytes(length), (b) => TAG_LETTERS[b % TAG_LETTERS.length]).join('');
}

/** A valid submission; override what the test is about. */
export function makeComment(overrides: Partial<CommentInput> = {}): CommentInput {
  const n = plainTag();
  return {
    name: `Reader ${n}`,
    email: `reader-${n}@example.org`,
    body: `A thoughtful reply number ${n}.`,
    ...overrides,
  };
}

export function uniqueArticle(prefix = 'article'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
