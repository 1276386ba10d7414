import { jsonDeeperThan } from './json-depth.js';

describe('jsonDeeperThan', () => {
  const nest = (n: number): unknown => JSON.parse('['.repeat(n) + ']'.repeat(n));

  it('accepts shallow values and scalars', () => {
    expect(jsonDeeperThan({ a: { b: { c: 1 } } }, 16)).toBe(false);
    expect(jsonDeeperThan('x')).toBe(false);
    expect(jsonDeeperThan(null)).toBe(false);
  });

  it('finds nesting past the limit, in arrays and objects', () => {
    expect(jsonDeeperThan(nest(17), 16)).toBe(true);
    expect(jsonDeeperThan(nest(16), 16)).toBe(false);
    expect(jsonDeeperThan({ name: { a: { b: [1] } } }, 3)).toBe(true);
  });

  it('handles 30,000 levels without overflowing the stack', () => {
    expect(jsonDeeperThan(nest(30_000))).toBe(true);
  });
});
