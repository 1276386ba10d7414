import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CryptoService } from '../common/crypto/crypto.service.js';

export type TokenPurpose = 'confirm' | 'unsubscribe';

const PREFIX: Record<TokenPurpose, string> = { confirm: 'c', unsubscribe: 'u' };
/** A confirmation link works this long; an unsubscribe link always. */
const CONFIRM_VALID_MS = 7 * 24 * 3600 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Links in mail: `<purpose>.<subscription id>.<expiry>.<mac>`, an HMAC (key derived from
 * SECRET_KEY for this purpose) over the rest. Nothing about the address is in them.
 */
@Injectable()
export class SubscriptionTokens {
  /** The current key signs; former ones (SECRET_KEY_PREVIOUS) still verify old links. */
  private readonly keys: Buffer[];

  constructor(crypto: CryptoService) {
    this.keys = crypto.secretsFor('subscription-links').map((k) => Buffer.from(k, 'hex'));
  }

  sign(purpose: TokenPurpose, subscriptionId: string, now = new Date()): string {
    const expiry = purpose === 'confirm' ? (now.getTime() + CONFIRM_VALID_MS).toString(36) : '0';
    const body = `${PREFIX[purpose]}.${subscriptionId}.${expiry}`;
    return `${body}.${this.mac(this.keys[0], body)}`;
  }

  /** The subscription id, or null for a forged, mangled or expired token. */
  verify(purpose: TokenPurpose, token: unknown, now = new Date()): string | null {
    if (typeof token !== 'string' || token.length > 200) return null;
    const parts = token.split('.');
    if (parts.length !== 4) return null;
    const [prefix, id, expiry, mac] = parts as [string, string, string, string];
    if (prefix !== PREFIX[purpose] || !UUID.test(id) || !/^[0-9a-z]{1,12}$/.test(expiry)) {
      return null;
    }
    const given = Buffer.from(mac);
    let ok = false;
    for (const key of this.keys) {
      const expected = Buffer.from(this.mac(key, `${prefix}.${id}.${expiry}`));
      ok = (given.length === expected.length && timingSafeEqual(given, expected)) || ok;
    }
    if (!ok) return null;
    if (expiry !== '0' && parseInt(expiry, 36) < now.getTime()) return null;
    return id;
  }

  private mac(key: Buffer, body: string): string {
    return createHmac('sha256', key).update(body).digest().subarray(0, 18).toString('base64url');
  }
}
