import { isIPv4, isIPv6 } from 'node:net';

/**
 * The part of a client address that identifies one reader for likes and their rate limit: an
 * IPv4 address as it is (IPv4-mapped IPv6 written as IPv4), an IPv6 address by its /64 prefix.
 * One subscriber gets a whole /64 (RFC 6177 and common practice) and picks any address in it
 * at will, so counting full IPv6 addresses would give one reader 2^64 likes and rate limits.
 */
export function readerAddress(ip: string | null | undefined): string | null {
  const address = ip?.trim().toLowerCase().split('%')[0] ?? '';
  if (!address) return null;
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  const [head, tail] = address.includes('::') ? address.split('::') : [address, null];
  const first = head ? head.split(':') : [];
  let groups = first;
  if (tail !== null) {
    const last = tail ? tail.split(':') : [];
    const width = last.length + (last.at(-1)?.includes('.') ? 1 : 0);
    groups = [...first, ...Array<string>(8 - first.length - width).fill('0'), ...last];
  }
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
