/**
 * nodeTraceInputs: every present capture goes through its parser (ip addr as text or JSON,
 * nft as text or JSON), failed or truncated captures are reported, and the result traces.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import type { NodeCapture, RawCapture } from '@/lib/model/snapshot';
import { nodeTraceInputs, traceInputsFromTexts } from '@/lib/snapshot/to-trace-inputs';
import { buildKubeRules } from '@/testkit/kube-proxy-writer/iptables';
import { FIXTURE_A } from '@/testkit/upstream-cases/upstream-cases';
import { tracePacket } from '@/lib/trace/trace-packet';

const fx = (p: string): string => readFileSync(`lib/parse/__fixtures__/${p}`, 'utf8');
const cap = (stdout: string, extra: Partial<RawCapture> = {}): RawCapture => ({
  command: 'x',
  stdout,
  stderr: '',
  exitCode: 0,
  sha256: '0',
  ...extra,
});

describe('nodeTraceInputs', () => {
  it('parses every capture kind with the right parser', () => {
    const node: NodeCapture = {
      name: 'n1',
      via: 'file',
      capturedAt: 'now',
      proxyMode: 'ipvs',
      captures: {
        'iptables-save': cap(buildKubeRules(FIXTURE_A.services)),
        ipvsadm: cap(fx('ipvsadm/kube-proxy-list.txt')),
        ipset: cap(fx('ipset/kube-proxy-ipvs.save.txt')),
        nft: cap(fx('nft/kube-proxy-nftables-json.txt')),
        'ip-addr': cap(fx('ip-addr/node-json.txt')),
        'ip-route': cap(fx('ip-route/table-all.txt')),
      },
    };
    const { inputs, issues } = nodeTraceInputs(node);
    expect(inputs.node).toBe('n1');
    expect(inputs.proxyMode).toBe('ipvs');
    expect(Object.keys(inputs.iptables!.tables)).toEqual(expect.arrayContaining(['nat', 'filter']));
    expect(inputs.ipvs!.virtualServers.length).toBeGreaterThan(5);
    expect(inputs.ipsets!.sets['KUBE-CLUSTER-IP'].members.length).toBe(4);
    expect(inputs.nft!.tables.some((t) => t.name === 'kube-proxy')).toBe(true);
    expect(inputs.interfaces!.length).toBeGreaterThan(1);
    expect(inputs.routes!.some((r) => r.type === 'local')).toBe(true);
    expect(issues.filter((i) => i.startsWith('iptables-save') || i.startsWith('ipset'))).toEqual([]);
  });

  it('reports failed and truncated captures instead of parsing them', () => {
    const node: NodeCapture = {
      name: 'n2',
      via: 'file',
      capturedAt: 'now',
      captures: {
        'iptables-save': cap('*nat\n:PREROUTING ACCEPT [0:0]\n', { truncated: true }),
        ipvsadm: cap('', {
          exitCode: 2,
          stderr:
            "Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?\n",
        }),
        nft: cap('', { error: 'missing binary: nft' }),
      },
    };
    const { inputs, issues } = nodeTraceInputs(node);
    expect(inputs.nft).toBeUndefined();
    expect(issues).toEqual(
      expect.arrayContaining([
        "iptables-save: output was truncated at the agent's cap; rules after the cut are missing",
        'nft: not captured: missing binary: nft',
      ]),
    );
    expect(issues.some((i) => i.startsWith('ipvsadm: command exited 2'))).toBe(true);
  });

  it('parse errors name the source and the line', () => {
    const r = traceInputsFromTexts(
      { iptables: '*nat\n:PREROUTING ACCEPT [0:0]\n-A NOPE -j\nCOMMIT\n' },
      { iptables: 'node1.save' },
    );
    expect(r.errors[0]).toMatch(/^node1\.save: line 3: .*"-A NOPE -j"$/);
  });

  it('the inputs trace: node IPs from ip addr make the node-originated path', () => {
    const text = buildKubeRules(FIXTURE_A.services, { nodeIPs: ['192.168.77.11'] });
    const { inputs } = nodeTraceInputs({
      name: 'n3',
      via: 'file',
      capturedAt: 'now',
      captures: { 'iptables-save': cap(text), 'ip-addr': cap(fx('ip-addr/node.txt')) },
    });
    const r = tracePacket(inputs, { src: '192.168.77.11', dst: '172.30.0.41', port: 80, proto: 'tcp' });
    expect(r.outcomes.map((o) => [o.to, o.path, o.masquerade])).toEqual([['10.180.0.1:80', 'output', true]]);
  });
});
