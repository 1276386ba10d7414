import { isDisposableAddress, isDisposableDomain } from './disposable-email.js';

describe('disposable email domains', () => {
  it('looks up the exact list, not only its wildcards', () => {
    // 0-180.com is on the list and matched by no wildcard entry.
    expect(isDisposableDomain('0-180.com')).toBe(true);
    expect(isDisposableDomain('0-180.COM')).toBe(true);
    expect(isDisposableDomain('sub.0-180.com')).toBe(false);
  });
  it('matches a wildcard entry and its subdomains, not look-alikes', () => {
    expect(isDisposableDomain('33m.co')).toBe(true);
    expect(isDisposableDomain('any.33m.co')).toBe(true);
    expect(isDisposableDomain('x33m.co')).toBe(false);
    expect(isDisposableDomain('33m.co.example')).toBe(false);
  });
  it('decides an address by its domain, from the maintained list', () => {
    expect(isDisposableAddress('someone@mailinator.com')).toBe(true);
    expect(isDisposableAddress('someone@Mailinator.com')).toBe(true);
    expect(isDisposableAddress('someone@example.org')).toBe(false);
    expect(isDisposableAddress('someone@gmail.com')).toBe(false);
    expect(isDisposableAddress('no-domain@')).toBe(false);
  });
});
