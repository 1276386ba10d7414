import { randomUUID } from 'node:crypto';

export interface CommentInput {
  name: string;
  email: string;
  website?: string;
  body: string;
  parentId?: string | null;
  hp?: string;
}

/** A valid submission; override what the test is about. */
export function makeComment(overrides: Partial<CommentInput> = {}): CommentInput {
  const n = randomUUID().slice(0, 8);
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
