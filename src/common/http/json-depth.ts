/** Deepest nesting our API accepts (site settings are three levels deep). */
export const MAX_JSON_DEPTH = 16;

/**
 * True when a parsed JSON value nests deeper than `max`. Iterative on purpose: a 64 KiB body
 * can nest 30,000 levels, and recursive code (ours or a library's) would overflow the stack.
 */
export function jsonDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= max) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
