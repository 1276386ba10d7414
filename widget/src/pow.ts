/**
 * Proof of work (ALTCHA v2). `GET /v1/challenge` answers the challenge made by altcha-lib's
 * `createChallenge` ({ parameters, signature }); the widget solves it with altcha-lib's own
 * solver and the browser's WebCrypto, and sends base64(JSON { challenge, solution }) as
 * `altcha`, which is what altcha-lib's verifiers read on the server.
 *
 * The challenge is fetched and solved in the background as soon as the reader starts on the
 * form, so it is usually ready by the time they press "Post Comment". Where the service offers
 * no challenge (404) the widget submits without one.
 */
import { solveChallenge, type Challenge, type DeriveKeyFunction } from 'altcha-lib';
import { deriveKey as pbkdf2 } from 'altcha-lib/algorithms/web/pbkdf2';
import { deriveKey as sha } from 'altcha-lib/algorithms/web/sha';
import { ApiError, type Api } from './api.js';

function deriveKeyFor(algorithm: string): DeriveKeyFunction | null {
  if (/^SHA-(256|384|512)$/.test(algorithm)) return sha;
  if (/^PBKDF2\/SHA-(256|384|512)$/.test(algorithm)) return pbkdf2;
  return null; // SCRYPT / ARGON2ID need WASM; not bundled.
}

function isChallenge(value: unknown): value is Challenge {
  const p = (value as Challenge | null)?.parameters;
  return (
    !!p &&
    typeof p.algorithm === 'string' &&
    typeof p.nonce === 'string' &&
    typeof p.salt === 'string' &&
    typeof p.keyPrefix === 'string'
  );
}

/** Solves `challenge` and returns the `altcha` payload, or null when it cannot be solved. */
export async function solve(challenge: Challenge): Promise<string | null> {
  const deriveKey = deriveKeyFor(challenge.parameters.algorithm);
  if (!deriveKey) return null;
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 60_000 });
  if (!solution) return null;
  const { parameters, signature } = challenge;
  return btoa(JSON.stringify({ challenge: { parameters, signature }, solution }));
}

interface Solved {
  payload: string | null;
  /** Seconds since the epoch; the payload is useless after it. */
  expiresAt: number | null;
}

export class ProofOfWork {
  private work: Promise<Solved> | null = null;
  /** Set once the service said it has no challenge endpoint. */
  private unavailable = false;

  constructor(private readonly api: Api) {}

  /** Starts fetching and solving a challenge if none is under way. */
  prepare(): void {
    if (!this.unavailable && !this.work) this.work = this.run();
  }

  /** The payload to send with the next submission (null: submit without one). */
  async payload(): Promise<string | null> {
    if (this.unavailable) return null;
    this.prepare();
    let solved = await this.work!;
    if (solved.expiresAt !== null && solved.expiresAt * 1000 < Date.now() + 5000) {
      this.work = this.run();
      solved = await this.work;
    }
    if (!solved.payload) this.work = null; // failed: try afresh next time
    return solved.payload;
  }

  /** A payload is good for one comment: the next submission solves a new challenge. */
  used(): void {
    this.work = null;
  }

  private async run(): Promise<Solved> {
    try {
      const challenge = await this.api.challenge();
      if (!isChallenge(challenge)) return { payload: null, expiresAt: null };
      const payload = await solve(challenge);
      return { payload, expiresAt: challenge.parameters.expiresAt ?? null };
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
        this.unavailable = true;
      }
      return { payload: null, expiresAt: null };
    }
  }
}
