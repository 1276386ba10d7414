import { errors, jwtVerify } from 'jose';
import { isEmail, isURL } from 'class-validator';
import { DomainError } from '../common/errors/domain.errors.js';

/** The author as the publisher's signed identity token says, after verification. */
export interface VerifiedIdentity {
  sub: string;
  email: string;
  name: string;
  website: string | null;
}

/** 401 `/problems/invalid-identity`: a bad signature, an expired token, missing claims… */
export class InvalidIdentityError extends DomainError {
  readonly status = 401;
  readonly slug = 'invalid-identity';
  readonly title = 'The identity is not valid';
}

/** Tokens may live at most this long (the `exp` claim at most 24 h ahead). */
export const MAX_IDENTITY_LIFETIME_S = 24 * 3600;
/** Clocks of the publisher and the service may differ a little. */
const CLOCK_TOLERANCE_S = 30;
const REQUIRED_CLAIMS = ['sub', 'email', 'name', 'exp'] as const;

const CONTROL = /[\u0000-\u001F\u007F]/;

/**
 * Verifies an identity token (JWT, HS256 only) with the site's SSO secret and returns the
 * author it names. Every failure is an `InvalidIdentityError` with a reason a publisher's
 * developer can act on; the token itself never goes into an error or a log.
 */
export async function verifyIdentity(
  token: string,
  secret: string | null,
  now: Date = new Date(),
): Promise<VerifiedIdentity> {
  if (!secret) throw new InvalidIdentityError('This site does not accept identity tokens.');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: [...REQUIRED_CLAIMS],
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_S,
    }));
  } catch (error) {
    throw new InvalidIdentityError(describe(error));
  }
  const exp = payload.exp as number;
  if (exp > now.getTime() / 1000 + MAX_IDENTITY_LIFETIME_S + CLOCK_TOLERANCE_S) {
    throw new InvalidIdentityError('The identity token must expire within 24 hours (exp).');
  }
  const sub = claim(payload, 'sub', 255);
  const name = claim(payload, 'name', 100);
  const email = claim(payload, 'email', 254);
  if (!isEmail(email)) throw new InvalidIdentityError('The email claim is not an email address.');
  let website: string | null = null;
  if (payload.website !== undefined && payload.website !== null && payload.website !== '') {
    website = claim(payload, 'website', 2048);
    if (!isURL(website, { protocols: ['http', 'https'], require_protocol: true })) {
      throw new InvalidIdentityError('The website claim must be an http or https URL.');
    }
  }
  return { sub, email, name, website };
}

function claim(payload: Record<string, unknown>, name: string, maxLength: number): string {
  const value = payload[name];
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) throw new InvalidIdentityError(`The identity token has no "${name}" claim.`);
  if (text.length > maxLength || CONTROL.test(text)) {
    throw new InvalidIdentityError(`The "${name}" claim is too long or has control characters.`);
  }
  return text;
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The identity token has expired.';
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The identity token is not signed with this site’s secret.';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.reason === 'missing'
      ? `The identity token has no "${error.claim}" claim.`
      : `The identity token's "${error.claim}" claim is not valid.`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return 'The identity token must be signed with HS256.';
  }
  return 'The identity token is malformed.';
}
