import type { CryptoService } from '../../common/crypto/crypto.service.js';
import type { IdentitySettings } from '../../sites/site-settings.js';
import { InvalidIdentityError, verifyIdentity } from '../../identity/sso-identity.js';
import { readerAddress } from './reader-address.js';

/** Who a reader is, as far as the service can tell: for likes, flags and their rate limits. */
export interface Reader {
  /** The client address (as TRUST_PROXY makes it out). */
  ip: string | null;
  /** A verified SSO `sub` (issue 18's identity), when the request carried one: preferred. */
  sub?: string | null;
}

/**
 * The one key that makes "one like (or flag) per reader": a keyed hash, never the subject or
 * the address itself. `s` + keyed hash of the SSO subject, or `a` + the blind index of the
 * reader's address (an IPv6 address by its /64: see readerAddress).
 */
export function readerKey(crypto: CryptoService, reader: Reader): Buffer {
  if (reader.sub) {
    return Buffer.concat([Buffer.from('s'), crypto.fingerprint(['reader', reader.sub])]);
  }
  return Buffer.concat([Buffer.from('a'), crypto.ipIndex(readerAddress(reader.ip) ?? 'unknown')]);
}

/**
 * The reader of a like or a flag on a site: with an identity token (the same JWT as at submit)
 * the verified `sub`, else the client address. A bad or expired token, or none where the site
 * sets `identity.requireSso`, is an `InvalidIdentityError` (401 `/problems/invalid-identity`).
 */
export async function resolveReader(
  identity: IdentitySettings,
  token: string | null | undefined,
  ip: string | null,
  now: Date = new Date(),
): Promise<Reader> {
  if (token) {
    const verified = await verifyIdentity(token, identity.ssoSecret, now);
    return { ip, sub: verified.sub };
  }
  if (identity.requireSso) {
    throw new InvalidIdentityError(
      'This site accepts likes and reports only with an identity token.',
    );
  }
  return { ip, sub: null };
}
