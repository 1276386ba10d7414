import { randomUUID } from 'node:crypto';
import { childPath, isValidPath, pathSegment, rootKeyOf, SEGMENT_LENGTH } from './comment-path.js';

/** Byte order, as PostgreSQL's "C" collation sorts. */
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const at = (iso: string): Date => new Date(iso);

describe('pathSegment', () => {
  it('is 15 lower-case base-36 characters', () => {
    const segment = pathSegment(new Date(), randomUUID());
    expect(segment).toHaveLength(SEGMENT_LENGTH);
    expect(segment).toMatch(/^[0-9a-z]{15}$/);
  });

  it('ends with six characters of the id, dashes removed', () => {
    expect(pathSegment(at('2026-01-01T00:00:00Z'), 'ab-cd-ef12-3456')).toMatch(/abcdef$/);
  });

  it('sorts segments by creation time', () => {
    const times = [
      at('1970-01-01T00:00:00.001Z'),
      at('1970-01-01T00:00:00.036Z'),
      at('2001-09-09T01:46:40.000Z'),
      at('2026-05-01T12:00:00.000Z'),
      at('2026-05-01T12:00:00.001Z'),
      at('2099-12-31T23:59:59.999Z'),
      at('4000-01-01T00:00:00.000Z'),
    ];
    const segments = times.map((t) => pathSegment(t, 'ffffff'));
    const shuffled = [
      segments[3],
      segments[0],
      segments[6],
      segments[1],
      segments[5],
      segments[2],
      segments[4],
    ];
    expect(shuffled.sort(byteOrder)).toEqual(segments);
  });

  it('orders by time before id', () => {
    const earlier = pathSegment(
      at('2026-01-01T00:00:00.000Z'),
      'ffffff00-0000-0000-0000-000000000000',
    );
    const later = pathSegment(
      at('2026-01-01T00:00:00.001Z'),
      '00000000-0000-0000-0000-000000000000',
    );
    expect(byteOrder(earlier, later)).toBe(-1);
  });

  it('breaks a tie in time by the id', () => {
    const t = at('2026-01-01T00:00:00.000Z');
    expect(byteOrder(pathSegment(t, 'aaaaaa'), pathSegment(t, 'bbbbbb'))).toBe(-1);
  });
});

describe('childPath', () => {
  it('starts a root path from nothing', () => {
    const segment = pathSegment(new Date(), randomUUID());
    expect(childPath(null, segment)).toBe(segment);
  });

  it('appends the segment to the parent path', () => {
    const parent = pathSegment(at('2026-01-01T00:00:00Z'), randomUUID());
    const segment = pathSegment(at('2026-01-02T00:00:00Z'), randomUUID());
    expect(childPath(parent, segment)).toBe(parent + segment);
    expect(rootKeyOf(childPath(parent, segment))).toBe(parent);
  });

  it('sorts a thread depth-first, siblings oldest first, replies right after their parent', () => {
    const node = (parent: string | null, iso: string): string =>
      childPath(parent, pathSegment(at(iso), randomUUID()));
    const a = node(null, '2026-03-01T10:00:00.000Z');
    const b = node(null, '2026-03-01T10:00:01.000Z'); // the next root, created just after A
    const a2 = node(a, '2026-03-01T10:00:02.000Z'); // first reply to A (after B exists)
    const a1 = node(a, '2026-03-01T11:00:00.000Z'); // second reply to A, much later
    const a1x = node(a1, '2026-03-05T00:00:00.000Z'); // reply to the reply, days later
    const b1 = node(b, '2026-03-01T10:00:03.000Z');
    const c = node(null, '2026-03-02T00:00:00.000Z');

    const expected = [a, a2, a1, a1x, b, b1, c];
    const scrambled = [c, a1x, b1, a, b, a1, a2];
    expect(scrambled.sort(byteOrder)).toEqual(expected);
  });

  it("sorts a child after its parent and before the parent's next sibling, however late the child is", () => {
    const parent = childPath(null, pathSegment(at('2026-01-01T00:00:00Z'), randomUUID()));
    const sibling = childPath(null, pathSegment(at('2026-01-01T00:00:00.001Z'), randomUUID()));
    const child = childPath(parent, pathSegment(at('2999-01-01T00:00:00Z'), randomUUID()));
    expect([sibling, child, parent].sort(byteOrder)).toEqual([parent, child, sibling]);
  });
});

describe('rootKeyOf', () => {
  it('is the first segment of a path', () => {
    const root = pathSegment(at('2026-01-01T00:00:00Z'), 'a1b2c3');
    const deep = root + pathSegment(at('2026-01-02T00:00:00Z'), 'd4e5f6');
    expect(rootKeyOf(root)).toBe(root);
    expect(rootKeyOf(deep)).toBe(root);
  });
});

describe('isValidPath', () => {
  const segment = pathSegment(at('2026-01-01T00:00:00Z'), 'a1b2c3');

  it('accepts one or more whole segments', () => {
    expect(isValidPath(segment)).toBe(true);
    expect(isValidPath(segment + segment + segment)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['a partial segment', segment.slice(0, 14)],
    ['a segment and a bit', segment + 'a'],
    ['upper case', segment.toUpperCase()],
    ['a dash', segment.slice(0, 14) + '-'],
    ['a space', segment.slice(0, 14) + ' '],
    ['non-ASCII', segment.slice(0, 14) + 'é'],
    ['an SQL wildcard', segment.slice(0, 14) + '%'],
  ])('refuses %s', (_case, path) => {
    expect(isValidPath(path)).toBe(false);
  });
});
