import { parseTrustProxy, sourceKey } from './source-address';

describe('AUTH_TRUST_PROXY', () => {
  it('is off unless set, and takes a hop count or the proxies’ addresses', () => {
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7')).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.7',
    ]);
  });

  it.each(['true', 'everyone', '10.0.0.0/33', '10.0.0.0/8/1', ','])('refuses %s', (value) => {
    expect(() => parseTrustProxy(value)).toThrow();
  });
});

describe('sourceKey', () => {
  it('keys IPv4 (also IPv4-mapped) as is and IPv6 by its /64', () => {
    expect(sourceKey('203.0.113.9')).toBe('203.0.113.9');
    expect(sourceKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(sourceKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
    expect(sourceKey(undefined)).toBe('unknown');
  });
});
