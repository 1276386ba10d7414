/** A lone (unpaired) UTF-16 surrogate: JSON's `\ud800` escapes can make one, UTF-8 cannot. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The field (top-level key, or `body`) of the first string in a parsed JSON body, key or value,
 * that is not well-formed Unicode. Such text cannot be stored as UTF-8 or put through
 * `encodeURI` (which validators use to count bytes), so it is refused at the door.
 * Iterative, like `jsonDeeperThan`.
 */
export function illFormedField(value: unknown): string | null {
  const stack: Array<[unknown, string]> = [[value, 'body']];
  while (stack.length) {
    const [current, field] = stack.pop()!;
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return field;
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    const top = current === value && !Array.isArray(value);
    for (const [key, child] of Object.entries(current)) {
      if (LONE_SURROGATE.test(key)) return top ? 'body' : field;
      stack.push([child, top ? key : field]);
    }
  }
  return null;
}
