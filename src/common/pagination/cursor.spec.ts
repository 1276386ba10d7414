import { BadCursorError } from '../errors/domain.errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

type Position = { t: string; i: string };

const isPosition = (v: Record<string, unknown>): v is Position =>
  typeof v.t === 'string' && typeof v.i === 'string';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

describe('cursors', () => {
  const position = { t: '2026-03-01T10:00:00.123Z', i: '6c1e7c58-0c55-4d2e-9b0a-3f1c2b9e8d7a' };

  it('decodes what it encoded', () => {
    const cursor = encodeCursor('moderation:held', position);
    expect(decodeCursor('moderation:held', cursor, isPosition)).toMatchObject(position);
  });

  it('keeps numbers as numbers', () => {
    const cursor = encodeCursor('n', { n: 42 });
    const decoded = decodeCursor('n', cursor, (v): v is { n: number } => typeof v.n === 'number');
    expect(decoded.n).toBe(42);
  });

  it('is opaque base64url without padding', () => {
    const cursor = encodeCursor('thread:oldest', { p: 'abc', r: 'abc' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('abc');
  });

  it('refuses a cursor from another listing', () => {
    const cursor = encodeCursor('thread:oldest', position);
    expect(() => decodeCursor('thread:newest', cursor, isPosition)).toThrow(BadCursorError);
    expect(() => decodeCursor('moderation:held', cursor, isPosition)).toThrow(BadCursorError);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'not a cursor!'],
    ['padded base64', `${b64('{"k":"x","t":"a","i":"b"}')}==`],
    ['standard base64 characters', 'ab+/cd'],
    ['not JSON', b64('hello')],
    ['truncated JSON', b64('{"k":"x","t":"a"')],
    ['JSON null', b64('null')],
    ['a JSON number', b64('1')],
    ['a JSON string', b64('"x"')],
    ['a JSON array', b64('["x"]')],
    ['an object without kind', b64('{"t":"a","i":"b"}')],
    ['too long', 'a'.repeat(2049)],
  ])('refuses %s', (_case, cursor) => {
    expect(() => decodeCursor('x', cursor, isPosition)).toThrow(BadCursorError);
  });

  it('refuses a cursor whose position fails validation', () => {
    const cursor = encodeCursor('x', { t: 123, i: 'b' });
    expect(() => decodeCursor('x', cursor, isPosition)).toThrow(BadCursorError);
  });

  it('refuses a cursor edited to claim another listing', () => {
    const cursor = encodeCursor('moderation:held', position);
    const edited = b64(
      Buffer.from(cursor, 'base64url')
        .toString('utf8')
        .replace('moderation:held', 'moderation:spam'),
    );
    expect(() => decodeCursor('moderation:held', edited, isPosition)).toThrow(BadCursorError);
  });

  it('refuses a cursor with characters cut off or flipped', () => {
    const cursor = encodeCursor('x', position);
    expect(() => decodeCursor('x', cursor.slice(0, -3), isPosition)).toThrow(BadCursorError);
    expect(() => decodeCursor('x', cursor.slice(3), isPosition)).toThrow(BadCursorError);
    const flipped = (cursor[0] === 'e' ? 'f' : 'e') + cursor.slice(1);
    expect(() => decodeCursor('x', flipped, isPosition)).toThrow(BadCursorError);
  });

  it('throws a 400 problem, not a generic error', () => {
    try {
      decodeCursor('x', '!!', isPosition);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(BadCursorError);
      expect((error as BadCursorError).status).toBe(400);
    }
  });
});
