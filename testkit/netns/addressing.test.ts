import { describe, expect, it } from 'vitest';
import { clusterIP, clusterIP6, localVip, planAddresses, podIP, podIP6, remoteVip } from './addressing';

describe('planAddresses', () => {
  it('is deterministic per run hex', () => {
    expect(planAddresses('3fa2')).toEqual(planAddresses('3fa2'));
    expect(planAddresses('3fa2').prefix).toBe('kp3fa2');
  });

  it('never lets the cluster CIDR overlap the service CIDR, for every hex', () => {
    const bad: string[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const hex = h.toString(16).padStart(4, '0');
      const o = planAddresses(hex).octets;
      if (o.cluster === o.service || o.cluster < 16 || o.service > 223 || o.underlay[1] >= 250) bad.push(hex);
    }
    expect(bad).toEqual([]);
  });

  it('derives addresses inside their ranges', () => {
    const p = planAddresses('0a0b');
    const svc = p.serviceCidr.split('.').slice(0, 2).join('.');
    expect(clusterIP(p, 10).startsWith(svc)).toBe(true);
    expect(remoteVip(p, 1)).toBe(`${svc}.200.1`);
    expect(localVip(p, 2)).toBe(`${svc}.201.2`);
    expect(podIP(p, 2, 5)).toBe(`10.${p.octets.cluster}.2.5`);
    expect(p.node[0].podCidr).toBe(`10.${p.octets.cluster}.1.0/24`);
  });

  it('writes every IPv6 address in the canonical form the kernel prints (no leading zeros), for every hex', () => {
    // WHATWG URL parsing serialises IPv6 hosts the RFC 5952 way, as iproute2 and conntrack do.
    const canonical = (a: string) => new URL(`http://[${a}]/`).hostname.slice(1, -1);
    const bad: string[] = [];
    for (let h = 0; h < 0x10000; h += h < 0x1100 ? 1 : 97) {
      const p = planAddresses(h.toString(16).padStart(4, '0'));
      const addrs = [
        clusterIP6(p, 0x10),
        podIP6(p, 1, 2),
        ...p.v6.node.flatMap((n) => [n.underlay, n.gateway]),
        p.v6.client.underlay,
        p.v6.client.blocked,
      ];
      for (const a of addrs) if (canonical(a) !== a) bad.push(a);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('rejects a malformed hex', () => {
    expect(() => planAddresses('xyz')).toThrow(/4 hex digits/);
  });
});
