import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The maintained list of disposable email domains (disposable-email-domains). */
const DISPOSABLE = new Set(require('disposable-email-domains') as string[]);
const DISPOSABLE_WILDCARDS = require('disposable-email-domains/wildcard.json') as string[];

export function isDisposableDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  if (DISPOSABLE.has(d)) return true;
  return DISPOSABLE_WILDCARDS.some((w) => d === w || d.endsWith(`.${w}`));
}

/**
 * Decided at intake, where the address is in clear: the comment stores the fact
 * (`email_disposable`), so the spam worker never decrypts the address for it.
 */
export function isDisposableAddress(email: string): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  return domain.length > 0 && isDisposableDomain(domain);
}
