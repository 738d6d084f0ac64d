import { describe, expect, it } from 'vitest';
import { SNAPSHOT_SCHEMA, type ClusterSnapshot } from '@/lib/model/snapshot';
import { computeDrift } from './drift';
import { API, nodeA } from '../../testkit/snapshot-fixtures';

const snap = (nodes = [nodeA()], api = API): ClusterSnapshot => ({
  schema: SNAPSHOT_SCHEMA,
  cluster: { name: 't' },
  capturedAt: 'now',
  nodes,
  api,
});

describe('drift > API EndpointSlices vs node rules', () => {
  const report = computeDrift(snap());
  const kinds = report.findings.map((f) => `${f.kind} ${f.service ?? ''} ${f.endpoint ?? ''}`.trim());

  it('finds exactly the planted differences', () => {
    expect(report.checkedNodes).toEqual(['node-a']);
    expect(kinds.sort()).toEqual([
      'lagging',
      'missing-endpoint ns1/svc1:p80 10.180.0.2:80',
      'missing-no-endpoints-reject ns3/svc3:p80',
      'stale-pod ns1/svc1:p80 10.180.0.9:80',
      'stale-service ns9/gone:p80',
    ]);
  });

  it('cites the rule line of a stale DNAT', () => {
    const stale = report.findings.find((f) => f.kind === 'stale-pod')!;
    expect(stale.rule?.raw).toBe('-A KUBE-SEP-' + stale.rule!.raw.split('KUBE-SEP-')[1]);
    expect(stale.rule?.raw).toContain('--to-destination 10.180.0.9:80');
    expect(stale.rule?.line).toBeGreaterThan(20);
  });

  it('a stale endpoint whose IP still belongs to a pod is stale-endpoint, not stale-pod', () => {
    const api = {
      ...API,
      pods: [
        ...API.pods,
        { namespace: 'ns1', name: 'pod-9', podIPs: ['10.180.0.9'], ready: false, hostNetwork: false },
      ],
    };
    const kinds2 = computeDrift(snap([nodeA()], api)).findings.map((f) => f.kind);
    expect(kinds2).toContain('stale-endpoint');
    expect(kinds2).not.toContain('stale-pod');
  });

  it('in-sync node: no findings', () => {
    const api = {
      ...API,
      services: API.services
        .filter((s) => s.name === 'svc1' || s.name === 'svc2')
        .concat([{ ...API.services[0], namespace: 'ns9', name: 'gone' }]),
    };
    api.endpointSlices = [
      {
        ...API.endpointSlices[0],
        endpoints: [
          { ...API.endpointSlices[0].endpoints[0] },
          { addresses: ['10.180.0.9'], ready: true, serving: true, terminating: false },
        ],
      },
      {
        ...API.endpointSlices[0],
        namespace: 'ns9',
        name: 'gone-x',
        service: 'gone',
        endpoints: [{ addresses: ['10.180.0.7'], ready: true, serving: true, terminating: false }],
      },
    ];
    expect(computeDrift(snap([nodeA()], api)).findings).toEqual([]);
  });

  it('flags a node in another mode and a node that was not collected', () => {
    const ipvs = { ...nodeA(), name: 'node-b', proxyMode: 'ipvs' as const };
    const third = { ...nodeA(), name: 'node-c' };
    const down = {
      name: 'node-d',
      via: 'ssh',
      capturedAt: 'now',
      captures: {},
      error: { kind: 'unreachable' as const, message: 'ECONNREFUSED' },
    };
    const r = computeDrift(snap([nodeA(), ipvs, third, down]));
    expect(r.findings.filter((f) => f.node === 'node-b').map((f) => f.kind)).toEqual(['mode-mismatch', 'not-checked']);
    expect(r.findings.find((f) => f.node === 'node-b')!.message).toBe(
      'kube-proxy runs in ipvs mode; the other nodes run iptables',
    );
    expect(r.findings.filter((f) => f.node === 'node-d').map((f) => f.kind)).toEqual(['not-checked']);
    expect(r.checkedNodes).toEqual(['node-a', 'node-c']);
  });

  it('ConfigMap mode beats the majority', () => {
    const r = computeDrift(
      snap([nodeA()], { ...API, kubeProxyConfig: 'kind: KubeProxyConfiguration\nmode: "ipvs"\n' }),
    );
    expect(r.findings[0]).toMatchObject({
      kind: 'mode-mismatch',
      message: 'kube-proxy runs in iptables mode; the kube-proxy ConfigMap says ipvs',
    });
  });
});
