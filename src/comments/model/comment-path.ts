/**
 * Threads are stored as materialised paths of fixed-width segments. A segment is the
 * comment's creation time (ms, base 36, 9 characters, good until the year 5188) followed by
 * six characters of its id, so byte order of paths (collation "C") is exactly the thread's
 * depth-first order with siblings oldest first.
 */
export const SEGMENT_LENGTH = 15;
const SEGMENT = /^[0-9a-z]+$/;

export function pathSegment(createdAt: Date, id: string): string {
  return createdAt.getTime().toString(36).padStart(9, '0') + id.replace(/-/g, '').slice(0, 6);
}

export function childPath(parentPath: string | null, segment: string): string {
  return (parentPath ?? '') + segment;
}

export function rootKeyOf(path: string): string {
  return path.slice(0, SEGMENT_LENGTH);
}

export function isValidPath(path: string): boolean {
  return path.length > 0 && path.length % SEGMENT_LENGTH === 0 && SEGMENT.test(path);
}
