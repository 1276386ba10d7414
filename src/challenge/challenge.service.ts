import { Inject, Injectable } from '@nestjs/common';
import {
  createChallenge,
  randomInt,
  verifySolution,
  type Challenge,
  type Payload,
} from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { CryptoService } from '../common/crypto/crypto.service.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Counters } from '../redis/counters.js';

const CHALLENGE_TTL_S = 10 * 60;
const MAX_PAYLOAD_LENGTH = 10_000;

/**
 * ALTCHA proof of work (v2, SHA-256, deterministic mode): the server signs a challenge whose
 * answer it knows; the reader's browser searches for it; the submit carries the solution. A
 * solved challenge is accepted once (the signature is claimed in the transport's `Counters` until it expires).
 */
@Injectable()
export class ChallengeService {
  private readonly signatureSecret: string;
  private readonly keySignatureSecret: string;

  constructor(
    crypto: CryptoService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly counters: Counters,
  ) {
    this.signatureSecret = crypto.secretFor('altcha-signature');
    this.keySignatureSecret = crypto.secretFor('altcha-key-signature');
  }

  create(now = new Date()): Promise<Challenge> {
    const max = this.config.powMaxCounter;
    return createChallenge({
      algorithm: 'SHA-256',
      cost: 1,
      counter: randomInt(Math.floor(max / 10), max),
      deriveKey,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_S * 1000),
      hmacSignatureSecret: this.signatureSecret,
      hmacKeySignatureSecret: this.keySignatureSecret,
    });
  }

  /** True only for a valid, unexpired, signed solution seen for the first time. */
  async verify(encoded: string): Promise<boolean> {
    const payload = decodePayload(encoded);
    if (!payload) return false;
    let verified = false;
    try {
      const result = await verifySolution({
        challenge: payload.challenge,
        solution: payload.solution,
        deriveKey,
        hmacSignatureSecret: this.signatureSecret,
        hmacKeySignatureSecret: this.keySignatureSecret,
      });
      verified = result.verified;
    } catch {
      return false;
    }
    if (!verified || !payload.challenge.signature) return false;
    return this.counters.claim(['altcha', payload.challenge.signature], CHALLENGE_TTL_S * 1000);
  }
}

/** The widget sends base64(JSON) like ALTCHA's own widget; plain JSON is accepted too. */
function decodePayload(encoded: string): Payload | null {
  if (!encoded || encoded.length > MAX_PAYLOAD_LENGTH) return null;
  for (const text of [encoded, safeBase64(encoded)]) {
    if (!text) continue;
    try {
      const value = JSON.parse(text) as Partial<Payload>;
      if (
        value &&
        typeof value === 'object' &&
        value.challenge &&
        typeof value.challenge === 'object' &&
        value.solution &&
        typeof value.solution === 'object'
      ) {
        return value as Payload;
      }
    } catch {
      // try the next form
    }
  }
  return null;
}

function safeBase64(value: string): string | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return null;
  return Buffer.from(value, 'base64').toString('utf8');
}
