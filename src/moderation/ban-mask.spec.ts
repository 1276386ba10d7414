import { maskEmail, maskIp } from './ban-mask.js';

describe('ban masks', () => {
  it('shows first letters and the top-level domain of an email, never the address', () => {
    expect(maskEmail(' Troll.Person@Example.com ')).toBe('t***@e***.com');
    expect(maskEmail('x@y.example')).toBe('x***@y***.example');
    expect(maskEmail('x@localhost')).toBe('x***@l***');
    expect(maskEmail('nonsense')).toBe('***');
  });

  it('hides the host part of an address (IPv4: last octet; IPv6: all but the /64 prefix start)', () => {
    expect(maskIp('203.0.113.77')).toBe('203.0.113.x');
    expect(maskIp('::ffff:203.0.113.77')).toBe('203.0.113.x');
    expect(maskIp('2001:db8:1:2::99')).toBe('2001:db8:x:x::/64');
    expect(maskIp('nonsense')).toBe('***');
  });
});
