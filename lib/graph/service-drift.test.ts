import { describe, expect, it } from 'vitest';
import type { EndpointSliceModel, ServiceModel } from '@/lib/model/k8s';
import type { Outcome } from '@/lib/model/trace';
import { portDrift } from './service-drift';

const svc = (over: Partial<ServiceModel> = {}): ServiceModel => ({
  namespace: 'default',
  name: 'inv',
  type: 'ClusterIP',
  clusterIPs: ['10.96.30.60'],
  externalIPs: [],
  loadBalancerIPs: [],
  loadBalancerSourceRanges: [],
  ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
  ...over,
});
const slice = (
  eps: { ip: string; node: string; ready?: boolean; serving?: boolean; terminating?: boolean }[],
): EndpointSliceModel => ({
  namespace: 'default',
  name: 'inv-x',
  service: 'inv',
  addressType: 'IPv4',
  apiVersion: 'discovery.k8s.io/v1',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: eps.map((e) => ({
    addresses: [e.ip],
    ready: e.ready ?? true,
    serving: e.serving ?? true,
    terminating: e.terminating ?? false,
    nodeName: e.node,
  })),
});
const dnat = (to: string, p: number): Outcome => ({
  verdict: 'dnat',
  to,
  probability: p,
  masquerade: false,
  steps: [],
  assumptions: [],
});
const verdict = (v: 'drop' | 'reject'): Outcome => ({
  verdict: v,
  to: null,
  probability: 1,
  masquerade: false,
  steps: [],
  assumptions: [],
});

describe('portDrift', () => {
  it('flags a stale endpoint still programmed and a new one missing', () => {
    const s = svc();
    const d = portDrift(
      s,
      s.ports[0],
      [
        slice([
          { ip: '10.244.1.60', node: 'a' },
          { ip: '10.244.2.60', node: 'b' },
        ]),
      ],
      'b',
      [dnat('10.244.1.60:8080', 0.5), dnat('10.244.2.61:8080', 0.5)],
    );
    expect(d).toMatchObject({ missing: ['10.244.2.60:8080'], extra: ['10.244.2.61:8080'], drift: true });
  });
  it('counts a DNAT target even when the packet is dropped afterwards (blackhole route for a deleted pod)', () => {
    const s = svc();
    const dropped: Outcome = {
      verdict: 'drop',
      to: null,
      probability: 0.5,
      masquerade: false,
      assumptions: [],
      steps: [
        {
          table: 'nat',
          chain: 'KUBE-SEP-X',
          line: 9,
          raw: '-A KUBE-SEP-X -p tcp -m tcp -j DNAT --to-destination 10.244.2.61:8080',
          effect: 'dnat',
          why: '',
        },
        { table: 'route', chain: 'routing decision', line: 0, raw: '', effect: 'drop', why: 'blackhole' },
      ],
    };
    const d = portDrift(s, s.ports[0], [slice([{ ip: '10.244.1.60', node: 'a' }])], 'b', [
      dnat('10.244.1.60:8080', 0.5),
      dropped,
    ]);
    expect(d).toMatchObject({
      actual: ['10.244.1.60:8080', '10.244.2.61:8080'],
      extra: ['10.244.2.61:8080'],
      drift: true,
    });
  });

  it('is quiet when the node matches the API', () => {
    const s = svc();
    const d = portDrift(s, s.ports[0], [slice([{ ip: '10.244.1.60', node: 'a' }])], 'b', [dnat('10.244.1.60:8080', 1)]);
    expect(d.drift).toBe(false);
  });
  it('expects REJECT with no endpoints and DROP for ITP=Local without local endpoints', () => {
    const s = svc();
    expect(portDrift(s, s.ports[0], [], 'a', [verdict('reject')])).toMatchObject({
      expectedVerdict: 'reject',
      drift: false,
    });
    expect(portDrift(s, s.ports[0], [], 'a', [dnat('10.244.9.9:8080', 1)]).drift).toBe(true);
    const local = svc({ internalTrafficPolicy: 'Local' });
    expect(
      portDrift(local, local.ports[0], [slice([{ ip: '10.244.1.40', node: 'a' }])], 'b', [verdict('drop')]),
    ).toMatchObject({ expectedVerdict: 'drop', drift: false });
  });
  it('falls back to serving+terminating endpoints when none is ready (kube-proxy §1.3)', () => {
    const s = svc();
    const d = portDrift(
      s,
      s.ports[0],
      [
        slice([
          { ip: '10.244.1.50', node: 'a', ready: false, serving: true, terminating: true },
          { ip: '10.244.2.50', node: 'b', ready: false, serving: false, terminating: true },
        ]),
      ],
      'a',
      [dnat('10.244.1.50:8080', 1)],
    );
    expect(d).toMatchObject({ expected: ['10.244.1.50:8080'], drift: false });
  });
});
