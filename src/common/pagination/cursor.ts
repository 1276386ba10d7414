import { BadCursorError } from '../errors/domain.errors.js';

/**
 * Opaque keyset cursors: base64url JSON tagged with the listing they belong to, so a cursor
 * from one listing (or order) handed to another is a 400, not a silently wrong page.
 */
export function encodeCursor(kind: string, position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify({ k: kind, ...position }), 'utf8').toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(
  kind: string,
  cursor: string,
  validate: (value: Record<string, unknown>) => value is T & Record<string, unknown>,
): T {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw new Error('bad alphabet');
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError();
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    (value as { k?: unknown }).k !== kind ||
    !validate(value as Record<string, unknown>)
  ) {
    throw new BadCursorError();
  }
  return value as T;
}
