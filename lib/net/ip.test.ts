import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  cidrContains,
  formatEndpoint,
  formatIp,
  isIPv4,
  isIPv6,
  normalizeIp,
  parseCidr,
  parseEndpoint,
  parseIPv4,
  parseIPv6,
} from '@/lib/net/ip';

describe('parseIPv4', () => {
  it.each([
    ['10.96.0.1', 0x0a600001n],
    ['0.0.0.0', 0n],
    ['255.255.255.255', 0xffffffffn],
  ])('%s', (text, value) => expect(parseIPv4(text)).toBe(value));

  it.each(['256.0.0.1', '10.0.0', '10.0.0.1.2', '01.2.3.4', 'a.b.c.d', '', ' 10.0.0.1'])('rejects %j', (t) =>
    expect(parseIPv4(t)).toBeUndefined(),
  );
});

describe('parseIPv6', () => {
  it.each([
    ['::', 0n],
    ['::1', 1n],
    ['fd00::1', (0xfd00n << 112n) | 1n],
    ['2001:db8:0:0:0:0:0:1', (0x2001n << 112n) | (0xdb8n << 96n) | 1n],
    ['::ffff:10.0.0.1', (0xffffn << 32n) | 0x0a000001n],
    ['fe80::1%eth0', (0xfe80n << 112n) | 1n],
  ])('%s', (text, value) => expect(parseIPv6(text)).toBe(value));

  it.each(['1::2::3', ':::', '1:2:3:4:5:6:7:8:9', 'fd00::g', '10.0.0.1', '1:2:3:4:5:6:7::8', '12345::'])(
    'rejects %j',
    (t) => expect(parseIPv6(t)).toBeUndefined(),
  );
});

describe('family checks', () => {
  it('distinguishes families', () => {
    expect(isIPv4('10.0.0.1')).toBe(true);
    expect(isIPv6('10.0.0.1')).toBe(false);
    expect(isIPv6('fd00:10:96::a')).toBe(true);
    expect(isIPv4('fd00::a')).toBe(false);
  });
});

describe('cidrContains', () => {
  it.each([
    ['10.244.0.0/16', '10.244.1.5', true],
    ['10.244.0.0/16', '10.245.0.1', false],
    ['10.96.0.10/32', '10.96.0.10', true],
    ['10.96.0.10', '10.96.0.11', false],
    ['0.0.0.0/0', '1.2.3.4', true],
    ['10.244.1.7/24', '10.244.1.200', true], // host bits in the CIDR are ignored
    ['fd00:10:244::/64', 'fd00:10:244::5', true],
    ['fd00:10:244::/64', 'fd00:10:245::5', false],
    ['::/0', '10.0.0.1', false], // families never mix
    ['10.0.0.0/8', '::ffff:10.0.0.1', false],
  ])('%s contains %s = %s', (c, ip, want) => expect(cidrContains(c, ip)).toBe(want));

  it('rejects bad prefixes', () => {
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('fd00::/129')).toBeUndefined();
    expect(parseCidr('10.0.0.0/')).toBeUndefined();
    expect(cidrContains('garbage', '10.0.0.1')).toBe(false);
  });
});

describe('formatting', () => {
  it('compresses IPv6 per RFC 5952', () => {
    expect(normalizeIp('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(normalizeIp('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(normalizeIp('1:0:1:0:1:0:1:0')).toBe('1:0:1:0:1:0:1:0');
    expect(normalizeIp('::')).toBe('::');
    expect(normalizeIp('nope')).toBeUndefined();
  });

  it('formats endpoints with brackets for v6', () => {
    expect(formatEndpoint('10.96.0.1', 443)).toBe('10.96.0.1:443');
    expect(formatEndpoint('fd00::1', 443)).toBe('[fd00::1]:443');
    expect(parseEndpoint('[fd00::1]:443')).toEqual({ ip: 'fd00::1', port: 443 });
    expect(parseEndpoint('10.244.1.5:8080')).toEqual({ ip: '10.244.1.5', port: 8080 });
    expect(parseEndpoint('10.244.1.5:99999')).toBeUndefined();
    expect(parseEndpoint('fd00::1:443')).toBeUndefined();
  });

  it('round-trips any IPv4 and IPv6 value', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), (v) => parseIPv4(formatIp(4, v)) === v));
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (v) => parseIPv6(formatIp(6, v)) === v));
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        parseCidr(a);
        cidrContains(a, b);
        parseEndpoint(a);
        return true;
      }),
    );
  });
});
