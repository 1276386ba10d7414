/**
 * The public form of an event's place in the log (the CloudEvents `sequence` extension, the
 * SSE `id:`, the pull API's `next`): decimal, zero-padded to 20 digits, so that comparing two
 * sequences as text (the extension's rule) orders them as numbers. Internally (PostgreSQL,
 * Redis Stream entry ids, jobs) the plain number is kept.
 */
export const SEQUENCE_DIGITS = 20;

/** A sequence as text: 1 to 20 digits whose value fits PostgreSQL's bigint (≤ 18 significant). */
export const SEQUENCE_PATTERN = /^(?=\d{1,20}$)0*(0|[1-9]\d{0,17})$/;

export function formatSequence(value: string | bigint): string {
  return value.toString().padStart(SEQUENCE_DIGITS, '0');
}

/** A sequence we issued (padded or not), else null. */
export function parseSequence(value: string | undefined | null): bigint | null {
  const text = value?.trim();
  return text !== undefined && SEQUENCE_PATTERN.test(text) ? BigInt(text) : null;
}
