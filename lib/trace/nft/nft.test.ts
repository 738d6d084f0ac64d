/**
 * nftables mode on the real `nft list ruleset` capture of a kube-proxy nftables-mode table
 * (lib/parse/__fixtures__/nft/kube-proxy-nftables.txt, loaded into a real kernel by the parser
 * engineer's capture script): vmap lookups, numgen 1/N, affinity sets holding live state,
 * fib saddr type local, firewall, no-endpoint and cluster-ips checks, masquerade marks.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseNft } from '@/lib/parse/nft';
import { parseNftJson } from '@/lib/parse/nft-json';
import { tracePacket, detectMode } from '@/lib/trace/trace-packet';
import { nftLabel } from '@/lib/trace/nft/nft-labels';
import type { TraceInputs } from '@/lib/model/trace-inputs';

const text = readFileSync('lib/parse/__fixtures__/nft/kube-proxy-nftables.txt', 'utf8');
const inputs: TraceInputs = { nft: parseNft(text).value, localIPs: ['192.168.0.2'] };
const tcp = (src: string, dst: string, port: number, inp: TraceInputs = inputs) =>
  tracePacket(inp, { src, dst, port, proto: 'tcp' });
const summary = (src: string, dst: string, port: number, inp?: TraceInputs) =>
  tcp(src, dst, port, inp).outcomes.map((o) => [o.verdict, o.to, o.probability, o.masquerade]);

describe('nftables mode', () => {
  it('is detected from table ip kube-proxy', () => {
    expect(detectMode(inputs)).toBe('nftables');
  });

  it.each([
    [
      'pod → ClusterIP: numgen mod 2, 1/2 each, no masquerade',
      '10.244.1.3',
      '10.96.0.20',
      80,
      [
        ['dnat', '10.244.1.5:8080', 0.5, false],
        ['dnat', '10.244.2.7:8080', 0.5, false],
      ],
    ],
    [
      'node → ClusterIP: masqueraded (ip saddr != podCIDR)',
      '192.168.0.2',
      '10.96.0.20',
      80,
      [
        ['dnat', '10.244.1.5:8080', 0.5, true],
        ['dnat', '10.244.2.7:8080', 0.5, true],
      ],
    ],
    [
      'hairpin: endpoint reaches its own service',
      '10.244.1.7',
      '10.96.0.40',
      80,
      [['dnat', '10.244.1.7:8080', 1, true]],
    ],
    [
      'LB VIP from outside the source ranges: firewall drop',
      '203.0.113.99',
      '203.0.113.10',
      80,
      [['drop', null, 1, false]],
    ],
    [
      'LB VIP from an allowed range (pod short-circuit)',
      '10.244.3.3',
      '203.0.113.10',
      80,
      [['dnat', '10.244.1.7:8080', 1, false]],
    ],
    ['no endpoints: goto reject-chain', '10.244.1.3', '10.96.0.50', 80, [['reject', null, 1, false]]],
    [
      'ClusterIP on a port with no service: cluster-ips-check rejects',
      '10.244.1.3',
      '10.96.0.20',
      81,
      [['reject', null, 1, false]],
    ],
    ['unallocated IP in the service CIDR: dropped', '10.244.1.3', '10.96.5.5', 80, [['drop', null, 1, false]]],
    [
      'NodePort from outside (ETP Local via local- chain)',
      '198.51.100.1',
      '192.168.0.2',
      30080,
      [['dnat', '10.244.1.7:8080', 1, false]],
    ],
    [
      'NodePort from the node itself: masquerade local traffic',
      '192.168.0.2',
      '192.168.0.2',
      30080,
      [['dnat', '10.244.1.7:8080', 1, true]],
    ],
    ['not a service: untouched', '10.244.1.3', '10.244.2.7', 8080, [['accept', '10.244.2.7:8080', 1, false]]],
  ] as const)('%s', (_name, src, dst, port, want) => {
    expect(summary(src, dst, port)).toEqual(want);
  });

  it('affinity: a client already in the dynamic set sticks (live state from the dump)', () => {
    const r = tcp('192.168.0.50', '10.96.0.30', 80);
    expect(r.outcomes.map((o) => o.to)).toEqual(['10.244.1.9:80']);
    expect(r.notes.some((n) => n.includes('session affinity') && n.includes('192.168.0.50'))).toBe(true);
    expect(r.outcomes[0].steps.some((s) => s.effect === 'goto' && s.why.includes('@affinity-'))).toBe(true);
  });

  it('steps carry the Kubernetes meaning from chain names', () => {
    const r = tcp('10.244.1.3', '10.96.0.20', 80);
    const dnat = r.outcomes[1].steps.find((s) => s.effect === 'dnat')!;
    expect(dnat.label).toMatchObject({ role: 'endpoint', service: 'default/web:http', endpoint: '10.244.2.7:8080' });
    expect(r.outcomes[1].endpoint).toEqual({ service: 'default/web:http', ip: '10.244.2.7', port: 8080 });
    expect(dnat.line).toBeGreaterThan(0);
    expect(nftLabel('endpoint-2JKM4NO6-kube-system/dns/udp/dns__fd00.10.244.1..5/53')).toMatchObject({
      endpoint: '[fd00:10:244:1::5]:53',
    });
  });

  it('IPv6 table: udp to the DNS ClusterIP', () => {
    const r = tracePacket(inputs, { src: 'fd00:10:244:2::9', dst: 'fd00:10:96::a', port: 53, proto: 'udp' });
    expect(r.outcomes.map((o) => [o.verdict, o.to])).toEqual([['dnat', '[fd00:10:244:1::5]:53']]);
    expect(r.notes.some((n) => n.startsWith('UDP'))).toBe(true);
  });

  it('nft -j (JSON) input gives the same answers as the text form', () => {
    const json = readFileSync('lib/parse/__fixtures__/nft/kube-proxy-nftables-json.txt', 'utf8');
    const ji: TraceInputs = { nft: parseNftJson(json).value, localIPs: ['192.168.0.2'] };
    for (const [s, d, p] of [
      ['10.244.1.3', '10.96.0.20', 80],
      ['203.0.113.99', '203.0.113.10', 80],
      ['192.168.0.2', '192.168.0.2', 30080],
    ] as const) {
      expect(summary(s, d, p, ji)).toEqual(summary(s, d, p));
    }
  });

  it('a host firewall in another table at the same hook is honoured', () => {
    const host = `${text}table inet host {\n\tchain fwd {\n\t\ttype filter hook forward priority filter + 10; policy accept;\n\t\tip saddr 10.244.1.3 tcp dport 8080 drop\n\t}\n}\n`;
    const hi: TraceInputs = { nft: parseNft(host).value, localIPs: ['192.168.0.2'] };
    expect(summary('10.244.1.3', '10.96.0.20', 80, hi)).toEqual([
      ['drop', null, 0.5, false],
      ['drop', null, 0.5, false],
    ]);
    expect(summary('10.244.1.4', '10.96.0.20', 80, hi).map((o) => o[0])).toEqual(['dnat', 'dnat']);
  });
});

describe('nft interfaces', () => {
  it('iifname with an unknown incoming interface is assumed and reported; known interfaces are compared', () => {
    const host = `${text}table inet host {\n\tchain in {\n\t\ttype filter hook prerouting priority -300; policy accept;\n\t\tiifname "eth9" tcp dport 80 drop\n\t}\n}\n`;
    const hi: TraceInputs = { nft: parseNft(host).value, localIPs: ['192.168.0.2'] };
    const r = tcp('10.244.1.3', '10.96.0.20', 80, hi);
    expect(r.outcomes.map((o) => o.verdict)).toEqual(['drop']);
    expect(r.outcomes[0].assumptions.join()).toContain('iifname "eth9": interface unknown; assumed to match');
    const known = tracePacket(hi, {
      src: '10.244.1.3',
      dst: '10.96.0.20',
      port: 80,
      proto: 'tcp',
      inInterface: 'cni0',
    });
    expect(known.outcomes.map((o) => o.verdict)).toEqual(['dnat', 'dnat']);
  });
});
