import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app.config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { clientKey } from '../http/client-address.js';

/** One master key's derived sub-keys. Each purpose has its own key (HKDF-SHA-256). */
interface KeySet {
  id: string;
  encryption: Buffer;
  emailIndex: Buffer;
  ipIndex: Buffer;
  avatar: Buffer;
  receipt: Buffer;
  fingerprint: Buffer;
}

export interface EncryptedText {
  ciphertext: Buffer;
  keyId: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `comments/v1/${purpose}`, 32));
}

function keySet(master: Buffer): KeySet {
  return {
    id: createHash('sha256').update(derive(master, 'key-id')).digest('hex').slice(0, 8),
    encryption: derive(master, 'email-encryption'),
    emailIndex: derive(master, 'email-blind-index'),
    ipIndex: derive(master, 'ip-blind-index'),
    avatar: derive(master, 'avatar'),
    receipt: derive(master, 'receipt'),
    fingerprint: derive(master, 'request-fingerprint'),
  };
}

/** Lower-cased, NFKC, trimmed: the form whose blind index is looked up. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/**
 * Everything keyed that touches readers' data: email encryption (AES-256-GCM), blind indexes
 * (HMAC-SHA-256) for email and IP, the public avatar tag, receipts and request fingerprints.
 * Keys derive from SECRET_KEY; SECRET_KEY_PREVIOUS keys still decrypt and verify during a
 * rotation.
 */
@Injectable()
export class CryptoService {
  private readonly current: KeySet;
  private readonly all: KeySet[];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.current = keySet(config.secrets.current);
    this.all = [this.current, ...config.secrets.previous.map(keySet)];
  }

  /** A secret for another component (e.g. proof-of-work signing), derived for that purpose. */
  secretFor(purpose: string): string {
    return derive(this.config.secrets.current, `component/${purpose}`).toString('hex');
  }

  /** `secretFor` under the current key, then every previous one (to verify what they signed). */
  secretsFor(purpose: string): string[] {
    return [this.config.secrets.current, ...this.config.secrets.previous].map((master) =>
      derive(master, `component/${purpose}`).toString('hex'),
    );
  }

  /** The current key and the former ones still configured (SECRET_KEY_PREVIOUS). */
  get keyCount(): number {
    return this.all.length;
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  /** AES-256-GCM under the current key: `iv | tag | ciphertext`, with the key id to rotate. */
  encryptText(plain: string): EncryptedText {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.encryption, iv);
    cipher.setAAD(Buffer.from(this.current.id));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]), keyId: this.current.id };
  }

  decryptText(ciphertext: Buffer, keyId: string): string {
    const keys = this.all.find((k) => k.id === keyId);
    if (!keys) throw new Error(`No key with id ${keyId} is configured (SECRET_KEY_PREVIOUS?)`);
    const iv = ciphertext.subarray(0, IV_BYTES);
    const tag = ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', keys.encryption, iv);
    decipher.setAAD(Buffer.from(keys.id));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(ciphertext.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Encrypts the normalised address (what the blind index is computed on). */
  encryptEmail(email: string): EncryptedText {
    return this.encryptText(normalizeEmail(email));
  }

  decryptEmail(ciphertext: Buffer, keyId: string): string {
    return this.decryptText(ciphertext, keyId);
  }

  /** Blind index of an email under the current key. */
  emailIndex(email: string): Buffer {
    return hmac(this.current.emailIndex, normalizeEmail(email));
  }

  /** Blind indexes under every configured key, for look-ups during a key rotation. */
  emailIndexes(email: string): Buffer[] {
    const normalized = normalizeEmail(email);
    return this.all.map((k) => hmac(k.emailIndex, normalized));
  }

  /** Blind index of a client: an IPv4 address, or an IPv6 address's /64 (`clientKey`). */
  ipIndex(ip: string): Buffer {
    return hmac(this.current.ipIndex, clientKey(ip));
  }

  ipIndexes(ip: string): Buffer[] {
    const normalized = clientKey(ip);
    return this.all.map((k) => hmac(k.ipIndex, normalized));
  }

  /**
   * Short, stable, non-reversible public tag of an author on one site (8 hex chars). Keyed by
   * the site too: the same reader has unrelated tags on two sites, so a tag cannot link them.
   */
  avatarTag(siteId: string, email: string): string {
    return hmac(this.current.avatar, `${siteId}\n${normalizeEmail(email)}`)
      .toString('hex')
      .slice(0, 8);
  }

  /** The opaque receipt that lets an author's browser read its own comment's status. */
  receiptFor(commentId: string): string {
    return hmac(this.current.receipt, commentId).subarray(0, 18).toString('base64url');
  }

  verifyReceipt(commentId: string, receipt: string): boolean {
    // Exactly the 24 characters receiptFor() produces: base64url decoding alone is lenient.
    if (!/^[A-Za-z0-9_-]{24}$/.test(receipt)) return false;
    const given = Buffer.from(receipt, 'base64url');
    let ok = false;
    for (const keys of this.all) {
      // Compare against every key without short-circuiting, in constant time per key.
      ok = timingSafeEqual(given, hmac(keys.receipt, commentId).subarray(0, 18)) || ok;
    }
    return ok;
  }

  /** Keyed fingerprint of a request body (idempotency); not recomputable without the key. */
  fingerprint(value: unknown): Buffer {
    return hmac(this.current.fingerprint, canonicalJson(value));
  }

  /** Hash of a bearer token, as stored (tokens carry 256 bits of entropy). */
  static hashToken(token: string): Buffer {
    return createHash('sha256').update(token, 'utf8').digest();
  }

  static newToken(): string {
    return randomBytes(32).toString('base64url');
  }
}

function hmac(key: Buffer, value: string): Buffer {
  return createHmac('sha256', key).update(value, 'utf8').digest();
}

/** JSON with object keys sorted, so equal values fingerprint equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
