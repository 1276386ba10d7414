import ipaddr from 'ipaddr.js';

/**
 * What a ban listing shows of the banned email: the first character of the local part and of
 * the domain, and the top-level domain (`t***@e***.com`). Enough for a moderator to tell bans
 * apart, not to learn the address; the ban itself matches by keyed hash.
 */
export function maskEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  const at = normalized.lastIndexOf('@');
  if (at < 1 || at === normalized.length - 1) return '***';
  const domain = normalized.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${normalized[0]}***@${domain[0]}***${tld}`;
}

/** What a listing shows of a banned address: `203.0.113.x`, `2001:db8:x:x::/64`. */
export function maskIp(ip: string): string {
  const raw = ip.trim();
  if (!ipaddr.isValid(raw)) return '***';
  const address = ipaddr.process(raw);
  if (address.kind() === 'ipv4') {
    const octets = (address as ipaddr.IPv4).octets;
    return `${octets[0]}.${octets[1]}.${octets[2]}.x`;
  }
  const parts = (address as ipaddr.IPv6).parts.map((p) => p.toString(16));
  return `${parts[0]}:${parts[1]}:x:x::/64`;
}
