import { BadCursorError } from '../errors/domain.errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

type Padded = { p: string };
const isPadded = (v: Record<string, unknown>): v is Padded => typeof v.p === 'string';

/** A well-formed cursor exactly `length` characters long (base64url of `{"k":"x","p":"…"}`). */
function cursorOfLength(length: number): string {
  for (let n = 0; n < length; n++) {
    const cursor = encodeCursor('x', { p: 'a'.repeat(n) });
    if (cursor.length === length) return cursor;
    if (cursor.length > length) break;
  }
  throw new Error(`no cursor of length ${length}`);
}

describe('cursor length cap', () => {
  it('accepts a well-formed cursor of 2,048 characters', () => {
    const cursor = cursorOfLength(2048);
    expect(decodeCursor('x', cursor, isPadded).p.length).toBeGreaterThan(1500);
  });

  it('refuses a well-formed cursor one character longer', () => {
    // 2,049 is not a length base64url of JSON can have here; 2,050 is the next one.
    const cursor = cursorOfLength(2050);
    expect(() => decodeCursor('x', cursor, isPadded)).toThrow(BadCursorError);
  });

  it('refuses a cursor that fails validation, or whose kind is missing', () => {
    const cursor = encodeCursor('x', { q: 'a' });
    expect(() => decodeCursor('x', cursor, isPadded)).toThrow(BadCursorError);
    const noKind = Buffer.from('{"p":"a"}').toString('base64url');
    expect(() => decodeCursor('x', noKind, isPadded)).toThrow(BadCursorError);
    expect(decodeCursor('x', encodeCursor('x', { p: 'a' }), isPadded)).toEqual({ k: 'x', p: 'a' });
  });
});
