import type { CryptoService } from '../common/crypto/crypto.service.js';

/** Who a reader is, as far as the service can tell without an account. */
export interface ReaderIdentity {
  /** The client address (as TRUST_PROXY makes it out). */
  ip: string | null;
  /** The publisher's SSO subject, once identities exist (issue 18): preferred when present. */
  sub?: string | null;
}

/**
 * The one key that makes "one flag (or like) per reader": a keyed hash, never the address or
 * subject itself. With SSO the subject is the reader; otherwise the client address's blind
 * index (the same HMAC bans and rate limits use). Null when nothing identifies the reader.
 */
export function readerKey(crypto: CryptoService, reader: ReaderIdentity): Buffer | null {
  if (reader.sub) return crypto.ipIndex(`sub:${reader.sub}`);
  return reader.ip ? crypto.ipIndex(reader.ip) : null;
}
