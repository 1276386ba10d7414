import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The webhook SSRF guard: a webhook may only reach public unicast addresses. Loopback,
 * private, link-local, carrier-grade NAT, multicast, broadcast, unspecified (`0.0.0.0`, `::`),
 * reserved and documentation ranges, and IPv6 forms that embed an IPv4 address (IPv4-mapped,
 * NAT64, 6to4, Teredo) are refused — when an endpoint is registered (its host as written; the
 * URL parser has already turned numeric forms such as `2130706433`, `0x7f.1` or `127.1` into
 * dotted quads) and again when connecting, after DNS resolution, so that a public name that
 * resolves to 127.0.0.1 does not get through either. `WEBHOOK_ALLOW_PRIVATE=true` lifts it.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return false;
  // process(): an IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
  return ipaddr.process(bare).range() === 'unicast';
}

/** Why a webhook URL may not be registered, or null when its host may be a target. */
export function webhookUrlProblem(url: string): string | null {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return 'url must be an http or https URL';
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return 'url must be an http or https URL';
  }
  const host = target.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const literal = ipaddr.isValid(host);
  if (literal && !isPublicAddress(host)) {
    return 'url must not point to a loopback, private, link-local or other non-public address';
  }
  if (!literal && (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.'))) {
    return 'url must name a public host (not localhost or a single-label name)';
  }
  return null;
}

/** The error a refused connection fails with (its message is what the delivery log shows). */
export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
  constructor() {
    super('the address is not public');
    this.name = 'BlockedAddressError';
  }
}

/**
 * A `lookup` for `http.request` that resolves as usual and refuses the connection when any
 * address the name resolves to is not public (checked on the addresses actually connected to,
 * so a DNS answer that changes between registration and delivery is caught).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      (callback as (err: Error) => void)(error);
      return;
    }
    const list = addresses;
    // Every address must be public: a client may connect to any of them.
    if (!list.length || list.some((a) => !isPublicAddress(a.address))) {
      (callback as (err: Error) => void)(new BlockedAddressError());
      return;
    }
    if (options.all) {
      (callback as (err: null, addresses: LookupAddress[]) => void)(null, list);
    } else {
      (callback as (err: null, address: string, family: number) => void)(
        null,
        list[0].address,
        list[0].family,
      );
    }
  });
};
