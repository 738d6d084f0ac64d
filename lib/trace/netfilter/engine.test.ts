/**
 * The netfilter evaluator on hand-written iptables-save dumps: host rules honoured like kube
 * ones, goto/RETURN/policy semantics, marks, matches and their assumptions.
 */
import { describe, it, expect } from 'vitest';
import { saveText } from '@/testkit/kube-proxy-writer/save-text';
import { inputsFromSave } from '@/testkit/upstream-cases/flow';
import { buildKubeRules } from '@/testkit/kube-proxy-writer/iptables';
import { traceIptables } from '@/lib/trace/netfilter/trace-iptables';
import { tracePacket } from '@/lib/trace/trace-packet';
import type { Packet } from '@/lib/model/trace';
import type { TraceInputs } from '@/lib/model/trace-inputs';

const pkt = (src: string, dst: string, port: number, extra: Partial<Packet> = {}): Packet => ({
  src,
  dst,
  port,
  proto: 'tcp',
  ...extra,
});
const one = (inputs: TraceInputs, p: Packet) => {
  const r = traceIptables(inputs, p);
  expect(r.outcomes).toHaveLength(1);
  return r.outcomes[0];
};
const KUBE = buildKubeRules(
  [
    {
      ns: 'default',
      name: 'web',
      portName: 'http',
      port: 80,
      targetPort: 8080,
      clusterIP: '10.96.0.20',
      nodePort: 30080,
      endpoints: [{ ip: '10.244.1.5', node: 'test-node' }],
    },
  ],
  { podCIDR: '10.244.0.0/16', nodeIPs: ['192.168.0.2'] },
);

function withHostRules(filterFirst: string[], natFirst: string[], policies: Record<string, string> = {}): string {
  // Insert host rules ahead of kube-proxy's jumps, as other software does with -I.
  let text = KUBE;
  for (const l of filterFirst) text = text.replace(/^(-A (\S+) )/m, (m) => `${l}\n${m}`);
  text = text.replace('*nat\n', '*nat\n');
  const natIdx = text.indexOf('-A PREROUTING');
  if (natFirst.length) text = `${text.slice(0, natIdx)}${natFirst.join('\n')}\n${text.slice(natIdx)}`;
  // Policies of the filter table's built-in chains (mangle, printed first, has a FORWARD too).
  const filterAt = text.indexOf('*filter\n');
  for (const [k, v] of Object.entries(policies))
    text = text.slice(0, filterAt) + text.slice(filterAt).replace(`:${k} ACCEPT`, `:${k} ${v}`);
  return text;
}

describe('host rules are honoured exactly like kube-proxy rules', () => {
  it('a host firewall DROP in FORWARD drops a DNATed pod connection', () => {
    const inputs = inputsFromSave(withHostRules(['-A FORWARD -s 10.244.2.66/32 -j DROP'], []), ['192.168.0.2']);
    const o = one(inputs, pkt('10.244.2.66', '10.96.0.20', 80));
    expect(o.verdict).toBe('drop');
    expect(o.steps.some((s) => s.effect === 'dnat')).toBe(true); // nat happened first
    const drop = o.steps.find((s) => s.effect === 'drop')!;
    expect(drop.raw).toBe('-A FORWARD -s 10.244.2.66/32 -j DROP');
    expect(drop.label?.role).toBe('host');
    // another pod is not affected
    expect(one(inputs, pkt('10.244.2.67', '10.96.0.20', 80)).verdict).toBe('dnat');
  });

  it('a hand-made DNAT before KUBE-SERVICES wins', () => {
    const inputs = inputsFromSave(
      withHostRules(
        [],
        ['-A PREROUTING -d 10.96.0.20/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.9.9.9:9090'],
      ),
      ['192.168.0.2'],
    );
    const o = one(inputs, pkt('10.244.2.3', '10.96.0.20', 80));
    expect(o.verdict).toBe('dnat');
    expect(o.to).toBe('10.9.9.9:9090');
    expect(o.steps.some((s) => s.chain.startsWith('KUBE-SVC'))).toBe(false);
  });

  it('FORWARD policy DROP: KUBE-FORWARD accepts marked NodePort traffic, unmarked pod traffic hits the policy', () => {
    const inputs = inputsFromSave(withHostRules([], [], { FORWARD: 'DROP' }), ['192.168.0.2']);
    const np = one(inputs, pkt('203.0.113.9', '192.168.0.2', 30080));
    expect(np.verdict).toBe('dnat');
    expect(np.to).toBe('10.244.1.5:8080');
    expect(np.masquerade).toBe(true);
    expect(np.steps.some((s) => s.chain === 'KUBE-FORWARD' && s.effect === 'accept')).toBe(true);
    const pod = one(inputs, pkt('10.244.2.3', '10.96.0.20', 80));
    expect(pod.verdict).toBe('drop');
    expect(pod.steps.at(-1)?.effect).toBe('policy');
  });

  it('after DNAT the filter table sees the endpoint IP and port', () => {
    const inputs = inputsFromSave(
      withHostRules(
        ['-A FORWARD -d 10.244.1.5/32 -p tcp -m tcp --dport 8080 -j REJECT --reject-with icmp-port-unreachable'],
        [],
      ),
      ['192.168.0.2'],
    );
    expect(one(inputs, pkt('10.244.2.3', '10.96.0.20', 80)).verdict).toBe('reject');
  });
});

describe('chain semantics', () => {
  it('goto: falling off the goto target returns to the caller of the chain that did the goto', () => {
    const text = saveText({
      filter: ['-A INPUT -j A', '-A INPUT -j DROP', '-A A -g B', '-A A -j ACCEPT', '-A B -p udp -j ACCEPT'],
    });
    const o = one({ ...inputsFromSave(text, ['10.1.1.1']) }, pkt('10.2.2.2', '10.1.1.1', 80));
    // A's ACCEPT is skipped (goto does not come back to A); INPUT's DROP decides.
    expect(o.verdict).toBe('drop');
  });

  it('RETURN in a built-in chain applies the policy', () => {
    const text = saveText({ filter: ['-A INPUT -j RETURN', '-A INPUT -j ACCEPT'] }, { 'filter/INPUT': 'DROP' });
    const o = one(inputsFromSave(text, ['10.1.1.1']), pkt('10.2.2.2', '10.1.1.1', 80));
    expect(o.verdict).toBe('drop');
    expect(o.steps.map((s) => s.effect)).toEqual(['route', 'enter', 'return', 'policy']);
  });

  it('MARK arithmetic and mark matches', () => {
    const text = saveText({
      mangle: [
        '-A PREROUTING -j MARK --set-xmark 0x10/0xff',
        '-A PREROUTING -j MARK --or-mark 0x4000',
        '-A PREROUTING -j MARK --xor-mark 0x1',
        '-A PREROUTING -j MARK --and-mark 0xfffffff0',
      ],
      filter: [
        '-A INPUT -m mark ! --mark 0x4010/0xffff -j DROP',
        '-A INPUT -m mark --mark 0x4000/0x4000 -j ACCEPT',
        '-A INPUT -j REJECT',
      ],
    });
    const o = one(inputsFromSave(text, ['10.1.1.1']), pkt('10.2.2.2', '10.1.1.1', 80));
    expect(o.verdict).toBe('accept');
    expect(o.steps.filter((s) => s.effect === 'mark').map((s) => s.why.split('; ').at(-1))).toEqual([
      'mark 0x0 → 0x10 (--set-xmark 0x10/0xff)',
      'mark 0x10 → 0x4010 (--or-mark 0x4000)',
      'mark 0x4010 → 0x4011 (--xor-mark 0x1)',
      'mark 0x4011 → 0x4010 (--and-mark 0xfffffff0)',
    ]);
  });

  it('no filter table: accepted, destination unchanged', () => {
    const o = one(inputsFromSave(saveText({ nat: [] }), ['10.1.1.1']), pkt('10.2.2.2', '10.1.1.1', 80));
    expect(o).toMatchObject({ verdict: 'accept', to: '10.1.1.1:80', masquerade: false, path: 'local' });
  });
});

describe('matches', () => {
  const dropIf = (rule: string, p: Packet, local = ['10.1.1.1']) =>
    one(inputsFromSave(saveText({ filter: [`-A INPUT ${rule} -j DROP`] }), local), p).verdict;
  it.each([
    ['-p tcp -m multiport --dports 443,8000:8100', 8050, 'drop'],
    ['-p tcp -m multiport --dports 443,8000:8100', 80, 'accept'],
    ['-p tcp -m tcp --dport 1000:2000', 1500, 'drop'],
    ['-p tcp -m tcp ! --dport 1000:2000', 1500, 'accept'],
    ['-p udp', 80, 'accept'],
    ['! -p udp', 80, 'drop'],
    ['-p 6', 80, 'drop'],
    ['-f', 80, 'accept'],
    ['-m addrtype --dst-type LOCAL', 80, 'drop'],
    ['-m addrtype --src-type LOCAL', 80, 'accept'],
    ['-m conntrack --ctstate NEW', 80, 'drop'],
    ['-m conntrack --ctstate RELATED,ESTABLISHED', 80, 'accept'],
    ['-m conntrack --ctstate DNAT', 80, 'accept'],
    ['-m state --state NEW', 80, 'drop'],
    ['-m comment --comment "x y"', 80, 'drop'],
    ['-m nfacct --nfacct-name foo', 80, 'drop'],
    ['-p tcp -m tcp --syn', 80, 'drop'],
    ['-p icmp -m icmp --icmp-type 8', 80, 'accept'],
  ])('%s (dport %d) → %s', (rule, port, verdict) => {
    expect(dropIf(rule as string, pkt('10.2.2.2', '10.1.1.1', port as number))).toBe(verdict);
  });

  it('interfaces: -i with + wildcard against the known incoming interface', () => {
    expect(dropIf('-i cni+', pkt('10.2.2.2', '10.1.1.1', 80, { inInterface: 'cni0' }))).toBe('drop');
    expect(dropIf('-i cni+', pkt('10.2.2.2', '10.1.1.1', 80, { inInterface: 'eth0' }))).toBe('accept');
    expect(dropIf('! -i cni0', pkt('10.2.2.2', '10.1.1.1', 80, { inInterface: 'eth0' }))).toBe('drop');
  });

  it('unknown interface, unknown match and unknown target are assumed and reported', () => {
    const text = saveText({
      filter: ['-A INPUT -i eth9 -m limit --limit 5/sec -j CLASSIFY --set-class 1:1', '-A INPUT -j ACCEPT'],
    });
    const o = one(inputsFromSave(text, ['10.1.1.1']), pkt('10.2.2.2', '10.1.1.1', 80));
    expect(o.verdict).toBe('accept');
    const joined = o.assumptions.join('\n');
    expect(joined).toContain('-i eth9: incoming interface unknown; assumed to match');
    expect(joined).toContain("match '-m limit --limit 5/sec' not evaluated; assumed to match");
    expect(joined).toContain("target 'CLASSIFY' not modelled");
  });

  it('physdev is assumed not bridged, and says so', () => {
    const text = saveText({
      filter: [
        '-A INPUT -m physdev --physdev-is-bridged -j DROP',
        '-A INPUT -m physdev ! --physdev-is-in -j ACCEPT',
        '-A INPUT -j REJECT',
      ],
    });
    const o = one(inputsFromSave(text, ['10.1.1.1']), pkt('10.2.2.2', '10.1.1.1', 80));
    expect(o.verdict).toBe('accept');
    expect(o.assumptions.filter((a) => a.includes('bridge'))).toHaveLength(2);
  });

  it('statistic nth splits 1/every and reports the assumption', () => {
    const text = saveText({ filter: ['-A INPUT -m statistic --mode nth --every 4 --packet 0 -j DROP'] });
    const r = traceIptables(inputsFromSave(text, ['10.1.1.1']), pkt('10.2.2.2', '10.1.1.1', 80));
    expect(r.outcomes.map((o) => [o.verdict, o.probability])).toEqual([
      ['drop', 0.25],
      ['accept', 0.75],
    ]);
  });
});

describe('kube-proxy knowledge', () => {
  it('session affinity: --rcheck never matches a first connection; the note explains stickiness', () => {
    const text = buildKubeRules([
      {
        ns: 'ns',
        name: 'sticky',
        port: 80,
        clusterIP: '10.96.0.30',
        affinitySeconds: 10800,
        endpoints: [{ ip: '10.244.1.9' }, { ip: '10.244.2.9' }],
      },
    ]);
    const r = traceIptables(inputsFromSave(text), pkt('10.0.0.2', '10.96.0.30', 80));
    expect(r.outcomes.map((o) => o.to)).toEqual(['10.244.1.9:80', '10.244.2.9:80']);
    expect(r.notes.some((n) => n.includes('session affinity') && n.includes('10800 s'))).toBe(true);
  });

  it('large-cluster mode (no SVC/SEP comments): the service comes from the chain graph', () => {
    const text = buildKubeRules(
      [
        {
          ns: 'big',
          name: 'svc',
          portName: 'p',
          port: 80,
          clusterIP: '10.96.0.40',
          endpoints: [{ ip: '10.244.1.1' }, { ip: '10.244.1.2' }],
        },
      ],
      { largeCluster: true },
    );
    expect(text).not.toContain('-> 10.244.1.1');
    const r = traceIptables(inputsFromSave(text), pkt('10.0.0.2', '10.96.0.40', 80));
    expect(r.outcomes.map((o) => o.endpoint?.service)).toEqual(['big/svc:p', 'big/svc:p']);
    const dnat = r.outcomes[0].steps.find((s) => s.effect === 'dnat')!;
    expect(dnat.label).toEqual({ role: 'endpoint', service: 'big/svc:p', endpoint: '10.244.1.1:80' });
  });

  it('old layout from seed 002 (masquerade in KUBE-SERVICES, 0.33332999982, comment with trailing colon)', () => {
    const text = saveText({
      nat: [
        '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
        '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -m mark --mark 0x4000/0x4000 -j MASQUERADE',
        '-A KUBE-SERVICES ! -s 10.244.0.0/16 -d 10.109.117.159/32 -p tcp -m comment --comment "test001/app-svc-clusterip: cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
        '-A KUBE-SERVICES -d 10.109.117.159/32 -p tcp -m comment --comment "test001/app-svc-clusterip: cluster IP" -m tcp --dport 80 -j KUBE-SVC-F657HDVWWTO5ELQA',
        '-A KUBE-SVC-F657HDVWWTO5ELQA -m statistic --mode random --probability 0.33332999982 -j KUBE-SEP-MGLKNLMW4TUU5NXD',
        '-A KUBE-SVC-F657HDVWWTO5ELQA -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-63ULW6JC6WIZUZAX',
        '-A KUBE-SVC-F657HDVWWTO5ELQA -j KUBE-SEP-U4ZMXMHDO2QATTS7',
        '-A KUBE-SEP-63ULW6JC6WIZUZAX -s 10.244.2.15/32 -j KUBE-MARK-MASQ',
        '-A KUBE-SEP-63ULW6JC6WIZUZAX -p tcp -m tcp -j DNAT --to-destination 10.244.2.15:8080',
        '-A KUBE-SEP-MGLKNLMW4TUU5NXD -s 10.244.1.19/32 -j KUBE-MARK-MASQ',
        '-A KUBE-SEP-MGLKNLMW4TUU5NXD -p tcp -m tcp -j DNAT --to-destination 10.244.1.19:8080',
        '-A KUBE-SEP-U4ZMXMHDO2QATTS7 -s 10.244.2.16/32 -j KUBE-MARK-MASQ',
        '-A KUBE-SEP-U4ZMXMHDO2QATTS7 -p tcp -m tcp -j DNAT --to-destination 10.244.2.16:8080',
      ],
    });
    const inputs = inputsFromSave(text, ['192.168.1.10']);
    const pod = traceIptables(inputs, pkt('10.244.1.7', '10.109.117.159', 80));
    expect(pod.outcomes.map((o) => o.to)).toEqual(['10.244.1.19:8080', '10.244.2.15:8080', '10.244.2.16:8080']);
    expect(pod.outcomes.map((o) => o.probability)).toEqual([0.33332999982, 0.66667000018 * 0.5, 0.66667000018 * 0.5]);
    expect(pod.outcomes.map((o) => [o.masquerade, o.endpoint?.service])).toEqual([
      [false, 'test001/app-svc-clusterip'],
      [false, 'test001/app-svc-clusterip'],
      [false, 'test001/app-svc-clusterip'],
    ]);
    const node = traceIptables(inputs, pkt('192.168.1.10', '10.109.117.159', 80));
    expect(node.outcomes.every((o) => o.masquerade && o.path === 'output')).toBe(true);
    const hairpin = traceIptables(inputs, pkt('10.244.2.15', '10.109.117.159', 80));
    expect(hairpin.outcomes.map((o) => o.masquerade)).toEqual([false, true, false]);
  });

  it('userspace mode (KUBE-PORTALS-*) is recognised and explained, not traced', () => {
    const text = saveText({
      nat: [
        '-A PREROUTING -j KUBE-PORTALS-CONTAINER',
        '-A KUBE-PORTALS-CONTAINER -d 10.0.0.10/32 -p udp -m udp --dport 53 -j REDIRECT --to-ports 36123',
      ],
    });
    const r = tracePacket(inputsFromSave(text), { src: '10.1.1.1', dst: '10.0.0.10', port: 53, proto: 'udp' });
    expect(r.mode).toBe('userspace');
    expect(r.outcomes).toEqual([]);
    expect(r.notes[0]).toContain('obsolete userspace mode');
  });

  it('IPv6: DNAT to a bracketed endpoint', () => {
    const text = buildKubeRules(
      [
        {
          ns: 'ns',
          name: 's',
          port: 80,
          clusterIP: 'fd00:10:96::20',
          endpoints: [{ ip: 'fd00:10:244::5', port: 8080 }],
        },
      ],
      { family: 6 },
    );
    const o = one(inputsFromSave(text), pkt('fd00:10::2', 'fd00:10:96::20', 80));
    expect(o.to).toBe('[fd00:10:244::5]:8080');
    expect(o.steps[0].table).toBe('ip6tables nat');
  });
});

describe('addrtype --limit-iface-in', () => {
  it('LOCAL only counts addresses of the incoming interface', () => {
    const text = saveText({ filter: ['-A INPUT -m addrtype --dst-type LOCAL --limit-iface-in -j DROP'] });
    const inputs = {
      ...inputsFromSave(text, []),
      interfaces: [
        {
          index: 2,
          name: 'eth0',
          flags: [],
          addresses: [{ family: 'inet' as const, address: '192.168.0.2', prefixLength: 24 }],
        },
        {
          index: 3,
          name: 'eth1',
          flags: [],
          addresses: [{ family: 'inet' as const, address: '172.16.0.2', prefixLength: 24 }],
        },
      ],
    };
    expect(one(inputs, pkt('10.2.2.2', '192.168.0.2', 80, { inInterface: 'eth0' })).verdict).toBe('drop');
    expect(one(inputs, pkt('10.2.2.2', '192.168.0.2', 80, { inInterface: 'eth1' })).verdict).toBe('accept');
  });
});

describe('seed 002 NodePort (old layout: KUBE-NODEPORTS marks, then KUBE-SVC)', () => {
  it('external → NodePort: three endpoints, masqueraded', () => {
    const text = saveText({
      nat: [
        '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
        '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -m mark --mark 0x4000/0x4000 -j MASQUERADE',
        '-A KUBE-NODEPORTS -p tcp -m comment --comment "test001/app-svc-nodeport:" -m tcp --dport 30080 -j KUBE-MARK-MASQ',
        '-A KUBE-NODEPORTS -p tcp -m comment --comment "test001/app-svc-nodeport:" -m tcp --dport 30080 -j KUBE-SVC-CFVXM4HF2HSCB2P5',
        '-A KUBE-SERVICES -d 10.111.7.86/32 -p tcp -m comment --comment "test001/app-svc-nodeport: cluster IP" -m tcp --dport 80 -j KUBE-SVC-CFVXM4HF2HSCB2P5',
        '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
        '-A KUBE-SVC-CFVXM4HF2HSCB2P5 -m statistic --mode random --probability 0.33332999982 -j KUBE-SEP-YZPFJIVDJH5M2X7F',
        '-A KUBE-SVC-CFVXM4HF2HSCB2P5 -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-GBMLEVQY6OROVLIP',
        '-A KUBE-SVC-CFVXM4HF2HSCB2P5 -j KUBE-SEP-2HTJJZZDPAT4VCE2',
        '-A KUBE-SEP-2HTJJZZDPAT4VCE2 -s 10.244.2.16/32 -j KUBE-MARK-MASQ',
        '-A KUBE-SEP-2HTJJZZDPAT4VCE2 -p tcp -m tcp -j DNAT --to-destination 10.244.2.16:8080',
        '-A KUBE-SEP-GBMLEVQY6OROVLIP -s 10.244.2.15/32 -j KUBE-MARK-MASQ',
        '-A KUBE-SEP-GBMLEVQY6OROVLIP -p tcp -m tcp -j DNAT --to-destination 10.244.2.15:8080',
        '-A KUBE-SEP-YZPFJIVDJH5M2X7F -s 10.244.1.19/32 -j KUBE-MARK-MASQ',
        '-A KUBE-SEP-YZPFJIVDJH5M2X7F -p tcp -m tcp -j DNAT --to-destination 10.244.1.19:8080',
      ],
    });
    const r = traceIptables(inputsFromSave(text, ['192.168.1.10']), pkt('203.0.113.20', '192.168.1.10', 30080));
    expect(r.outcomes.map((o) => [o.to, o.masquerade, o.endpoint?.service])).toEqual([
      ['10.244.1.19:8080', true, 'test001/app-svc-nodeport'],
      ['10.244.2.15:8080', true, 'test001/app-svc-nodeport'],
      ['10.244.2.16:8080', true, 'test001/app-svc-nodeport'],
    ]);
  });
});

describe('REDIRECT', () => {
  it('goes to the incoming interface address and is delivered locally', () => {
    const text = saveText({ nat: ['-A PREROUTING -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 15001'] });
    const inputs = {
      ...inputsFromSave(text, []),
      interfaces: [
        {
          index: 2,
          name: 'eth0',
          flags: [],
          addresses: [{ family: 'inet' as const, address: '192.168.0.2', prefixLength: 24 }],
        },
      ],
    };
    const o = one(inputs, pkt('10.2.2.2', '1.1.1.1', 80, { inInterface: 'eth0' }));
    expect(o).toMatchObject({ verdict: 'dnat', to: '192.168.0.2:15001', path: 'local' });
  });
});

describe('conntrack-dependent semantics (as measured in the kernel lab)', () => {
  it('raw NOTRACK: the nat table never sees the packet, ctstate is UNTRACKED', () => {
    const text = withHostRules([], []).replace(
      '*filter\n',
      '*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -s 10.244.2.66/32 -j NOTRACK\nCOMMIT\n*filter\n',
    );
    const inputs = inputsFromSave(text, ['192.168.0.2']);
    const o = one(inputs, pkt('10.244.2.66', '10.96.0.20', 80));
    expect(o).toMatchObject({ verdict: 'accept', to: '10.96.0.20:80' });
    expect(o.steps.some((s) => s.table === 'nat')).toBe(false);
    expect(one(inputs, pkt('10.244.2.67', '10.96.0.20', 80)).verdict).toBe('dnat');
  });

  it('REJECT --reject-with tcp-reset after DNAT is a timeout for the client; without DNAT a refusal', () => {
    const text = withHostRules(
      [
        '-A FORWARD -d 10.244.1.5/32 -p tcp -m tcp --dport 8080 -j REJECT --reject-with tcp-reset',
        '-A FORWARD -d 10.244.9.9/32 -p tcp -j REJECT --reject-with tcp-reset',
      ],
      [],
    );
    const inputs = inputsFromSave(text, ['192.168.0.2']);
    expect(one(inputs, pkt('10.244.2.3', '10.96.0.20', 80)).verdict).toBe('drop');
    expect(one(inputs, pkt('10.244.2.3', '10.244.9.9', 80)).verdict).toBe('reject');
  });
});
