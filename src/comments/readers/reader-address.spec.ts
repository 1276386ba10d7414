import { readerAddress } from './reader-address.js';

describe('readerAddress (who one reader is, for likes)', () => {
  it('keeps IPv4 as it is and writes IPv4-mapped IPv6 as IPv4', () => {
    expect(readerAddress('198.18.0.1')).toBe('198.18.0.1');
    expect(readerAddress('::ffff:198.18.0.1')).toBe('198.18.0.1');
    expect(readerAddress('::FFFF:198.18.0.1')).toBe('198.18.0.1');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const one = '2001:db8:1:2::/64';
    for (const ip of [
      '2001:db8:1:2::1',
      '2001:0db8:0001:0002:ffff:ffff:ffff:ffff',
      '2001:DB8:1:2:abcd::9',
      '2001:db8:1:2:0:0:1.2.3.4',
      '2001:db8:1:2::7%eth0',
    ]) {
      expect(readerAddress(ip)).toBe(one);
    }
    expect(readerAddress('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(readerAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(readerAddress('::1')).toBe('0:0:0:0::/64');
  });

  it('passes anything else through (null for nothing)', () => {
    expect(readerAddress(null)).toBeNull();
    expect(readerAddress('')).toBeNull();
    expect(readerAddress('unknown')).toBe('unknown');
  });
});
