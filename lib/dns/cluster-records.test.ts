import { describe, expect, it } from 'vitest';
import { kubernetesAnswer, dashedIp, podLabelToIp, type QType } from '@/lib/dns/cluster-records';
import { labCluster } from '@/testkit/dns-lab/lab-cluster';
import type { KubernetesPluginConfig } from '@/lib/model/coredns';

const objs = labCluster('10.96.0.10');
objs.services.push(
  {
    namespace: 'prod',
    name: 'warmup',
    type: 'ClusterIP',
    clusterIPs: ['None'],
    ports: [],
    externalIPs: [],
    loadBalancerIPs: [],
    loadBalancerSourceRanges: [],
  },
  {
    namespace: 'prod',
    name: 'noports',
    type: 'ClusterIP',
    clusterIPs: ['10.96.12.99'],
    ports: [],
    externalIPs: [],
    loadBalancerIPs: [],
    loadBalancerSourceRanges: [],
  },
);
// publishNotReadyAddresses: the EndpointSlice controller already reports the endpoint as ready.
objs.endpointSlices.push({
  namespace: 'prod',
  name: 'warmup-x',
  service: 'warmup',
  addressType: 'IPv4',
  ports: [],
  apiVersion: 'discovery.k8s.io/v1',
  endpoints: [{ addresses: ['10.244.3.20'], ready: true, serving: true, terminating: false }],
});
const cfg: KubernetesPluginConfig = {
  zones: ['cluster.local.'],
  pods: 'insecure',
  ttl: 30,
  endpointPodNames: false,
  ignoreEmptyService: false,
  line: 1,
};
const ask = (name: string, type: QType = 'A', c: Partial<KubernetesPluginConfig> = {}) =>
  kubernetesAnswer(name, type, 'cluster.local.', objs, { ...cfg, ...c });
const show = (a: ReturnType<typeof ask>) => [a.rcode, ...a.answers.map((r) => `${r.type} ${r.data}`)];

describe('kubernetes plugin answers', () => {
  it.each([
    { name: 'web.prod.svc.cluster.local.', type: 'A', want: ['NOERROR', 'A 10.96.12.34'] },
    { name: 'web.prod.svc.cluster.local.', type: 'AAAA', want: ['NODATA'] },
    { name: 'web.prod.svc.cluster.local.', type: 'TXT', want: ['NODATA'] },
    { name: 'idle.app.svc.cluster.local.', type: 'A', want: ['NOERROR', 'A 10.96.40.2'] },
    { name: 'dual.app.svc.cluster.local.', type: 'AAAA', want: ['NOERROR', 'AAAA fd00:96::3'] },
    { name: 'db.prod.svc.cluster.local.', type: 'A', want: ['NOERROR', 'A 10.244.3.10', 'A 10.244.3.11'] },
    { name: 'db-0.db.prod.svc.cluster.local.', type: 'A', want: ['NOERROR', 'A 10.244.3.10'] },
    { name: 'db-2.db.prod.svc.cluster.local.', type: 'A', want: ['NXDOMAIN'] },
    { name: 'api-hl.prod.svc.cluster.local.', type: 'A', want: ['NOERROR', 'A 10.244.5.6'] },
    { name: '10-244-5-6.api-hl.prod.svc.cluster.local.', type: 'A', want: ['NOERROR', 'A 10.244.5.6'] },
    { name: '10-244-4-5.web.prod.svc.cluster.local.', type: 'A', want: ['NOERROR', 'A 10.244.4.5'] },
    { name: 'warmup.prod.svc.cluster.local.', type: 'A', want: ['NOERROR', 'A 10.244.3.20'] },
    { name: 'empty-hl.app.svc.cluster.local.', type: 'A', want: ['NXDOMAIN'] },
    { name: 'empty-hl.app.svc.cluster.local.', type: 'AAAA', want: ['NXDOMAIN'] },
    { name: 'noports.prod.svc.cluster.local.', type: 'A', want: ['NXDOMAIN'] },
    { name: 'alias.prod.svc.cluster.local.', type: 'A', want: ['NOERROR', 'CNAME web.prod.svc.cluster.local.'] },
    { name: 'x.alias.prod.svc.cluster.local.', type: 'A', want: ['NXDOMAIN'] },
    { name: 'ext-ip.prod.svc.cluster.local.', type: 'A', want: ['NXDOMAIN'] },
    { name: 'nope.prod.svc.cluster.local.', type: 'A', want: ['NXDOMAIN'] },
    { name: 'prod.svc.cluster.local.', type: 'A', want: ['NODATA'] },
    { name: 'nsx.svc.cluster.local.', type: 'A', want: ['NXDOMAIN'] },
    { name: 'svc.cluster.local.', type: 'A', want: ['NODATA'] },
    { name: 'cluster.local.', type: 'A', want: ['NODATA'] },
    { name: 'foo.com.cluster.local.', type: 'A', want: ['NXDOMAIN'] },
    { name: 'a.b.c.web.prod.svc.cluster.local.', type: 'A', want: ['NXDOMAIN'] },
    { name: '10-244-4-5.prod.pod.cluster.local.', type: 'A', want: ['NOERROR', 'A 10.244.4.5'] },
    { name: '1-2-3-4.prod.pod.cluster.local.', type: 'A', want: ['NOERROR', 'A 1.2.3.4'] },
    { name: '1-2-3-4.nsx.pod.cluster.local.', type: 'A', want: ['NXDOMAIN'] },
    { name: 'fd00--1.prod.pod.cluster.local.', type: 'AAAA', want: ['NOERROR', 'AAAA fd00::1'] },
    { name: 'fd00--1.prod.pod.cluster.local.', type: 'A', want: ['NODATA'] },
    { name: 'Web.PROD.svc.cluster.local.'.toLowerCase(), type: 'A', want: ['NOERROR', 'A 10.96.12.34'] },
  ] as { name: string; type: QType; want: string[] }[])('$type $name → $want', ({ name, type, want }) => {
    expect(show(ask(name, type))).toEqual(want);
  });

  it('pods disabled (plugin default) and verified modes', () => {
    expect(ask('1-2-3-4.prod.pod.cluster.local.', 'A', { pods: 'disabled' }).rcode).toBe('NXDOMAIN');
    expect(ask('1-2-3-4.prod.pod.cluster.local.', 'A', { pods: 'verified' }).rcode).toBe('NXDOMAIN');
    expect(show(ask('10-244-4-5.prod.pod.cluster.local.', 'A', { pods: 'verified' }))).toEqual([
      'NOERROR',
      'A 10.244.4.5',
    ]);
    expect(ask('10-244-4-5.app.pod.cluster.local.', 'A', { pods: 'verified' }).rcode).toBe('NXDOMAIN');
  });

  it('SRV: named ports of a ClusterIP Service, none for unnamed ports, per endpoint for headless', () => {
    expect(show(ask('_http._tcp.web.prod.svc.cluster.local.', 'SRV'))).toEqual([
      'NOERROR',
      'SRV 0 100 80 web.prod.svc.cluster.local.',
    ]);
    expect(show(ask('web.prod.svc.cluster.local.', 'SRV'))).toEqual([
      'NOERROR',
      'SRV 0 50 80 web.prod.svc.cluster.local.',
      'SRV 0 50 9090 web.prod.svc.cluster.local.',
    ]);
    expect(ask('_http._udp.web.prod.svc.cluster.local.', 'SRV').rcode).toBe('NXDOMAIN');
    expect(ask('cache.app.svc.cluster.local.', 'SRV').rcode).toBe('NODATA');
    expect(show(ask('_pg._tcp.db.prod.svc.cluster.local.', 'SRV'))).toEqual([
      'NOERROR',
      'SRV 0 50 5432 db-0.db.prod.svc.cluster.local.',
      'SRV 0 50 5432 db-1.db.prod.svc.cluster.local.',
    ]);
  });

  it('ignore empty_service turns a Service without ready endpoints into NXDOMAIN', () => {
    expect(ask('idle.app.svc.cluster.local.', 'A', { ignoreEmptyService: true }).rcode).toBe('NXDOMAIN');
    expect(ask('web.prod.svc.cluster.local.', 'A', { ignoreEmptyService: true }).rcode).toBe('NOERROR');
  });

  it('endpoint_pod_names uses the pod name as the endpoint label', () => {
    expect(show(ask('web-1.web.prod.svc.cluster.local.', 'A', { endpointPodNames: true }))).toEqual([
      'NOERROR',
      'A 10.244.4.5',
    ]);
    expect(ask('web-1.web.prod.svc.cluster.local.', 'A').rcode).toBe('NXDOMAIN');
  });

  it('dashed IP labels', () => {
    expect(dashedIp('10.244.5.6')).toBe('10-244-5-6');
    expect(dashedIp('fd00::')).toBe('fd00--0');
    expect(podLabelToIp('1-2-3-4')).toBe('1.2.3.4');
    expect(podLabelToIp('fd00--1')).toBe('fd00::1');
    expect(podLabelToIp('not-an-ip')).toBeUndefined();
  });
});
