import ipaddr from 'ipaddr.js';

/**
 * The unit that rate limits, bans, spam velocity and stream caps count a client by: an IPv4
 * address as it is, an IPv6 address by its /64 network (one subscriber line or host gets a
 * whole /64, and rotating through it would otherwise give a fresh identity per request), and
 * an IPv4-mapped IPv6 address as the IPv4 address it carries. Anything unparsable is returned
 * trimmed and lower-cased.
 */
export function clientKey(ip: string): string {
  const raw = ip.trim().toLowerCase();
  if (!ipaddr.isValid(raw)) return raw;
  const address = ipaddr.process(raw);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}
