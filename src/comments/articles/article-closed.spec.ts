import { isClosed } from './articles.service.js';
import { REACTION_SHARDS, shardOf } from '../reactions/reactions.repository.js';

describe('isClosed (the thread response’s `closed`)', () => {
  const day = 24 * 3600 * 1000;
  const now = Date.parse('2026-06-10T12:00:00Z');
  const first = new Date(now - 3 * day);

  it('is false for an article nobody commented on, and for an open one without a limit', () => {
    expect(isClosed(null, 1, now)).toBe(false);
    expect(isClosed({ closed: false, firstCommentAt: first }, null, now)).toBe(false);
  });

  it('is true when an admin closed the article', () => {
    expect(isClosed({ closed: true, firstCommentAt: null }, null, now)).toBe(true);
  });

  it('is true once closeAfterDays have passed since the first comment', () => {
    expect(isClosed({ closed: false, firstCommentAt: first }, 4, now)).toBe(false);
    expect(isClosed({ closed: false, firstCommentAt: first }, 3, now)).toBe(true);
    expect(isClosed({ closed: false, firstCommentAt: first }, 2, now)).toBe(true);
  });
});

describe('shardOf (like counters)', () => {
  it('gives one reader one shard, and spreads readers over all shards', () => {
    const reader = Buffer.from('a0123456789abcdef');
    expect(shardOf(reader)).toBe(shardOf(Buffer.from(reader)));
    const seen = new Set<number>();
    for (let i = 0; i < 256; i++) seen.add(shardOf(Buffer.from([0x61, 7, i])));
    expect([...seen].sort((a, b) => a - b)).toEqual(
      Array.from({ length: REACTION_SHARDS }, (_, i) => i),
    );
  });
});
