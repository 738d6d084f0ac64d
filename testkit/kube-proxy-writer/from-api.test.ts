/** Services + EndpointSlices → the writer's service ports, as kube-proxy reads them (§1.3). */
import { describe, expect, it } from 'vitest';
import type { ApiObjects, EndpointModel, ServiceModel } from '@/lib/model/k8s';
import { buildKubeRules } from '@/testkit/kube-proxy-writer/iptables';
import { servicePortsFromApi } from '@/testkit/kube-proxy-writer/from-api';

const base = {
  type: 'ClusterIP' as const,
  externalIPs: [] as string[],
  loadBalancerIPs: [] as string[],
  loadBalancerSourceRanges: [] as string[],
};
const ep = (ip: string, nodeName: string, s: Partial<EndpointModel> = {}): EndpointModel => ({
  addresses: [ip],
  ready: true,
  serving: true,
  terminating: false,
  nodeName,
  ...s,
});

function api(services: ServiceModel[], slices: ApiObjects['endpointSlices']): ApiObjects {
  return { services, endpointSlices: slices, pods: [], nodes: [], notes: [] };
}

const web: ServiceModel = {
  ...base,
  namespace: 'default',
  name: 'web',
  clusterIPs: ['10.96.0.20', 'fd00::20'],
  sessionAffinity: 'ClientIP',
  ports: [
    { name: 'http', protocol: 'TCP', port: 80, targetPort: 'web' },
    { name: 'metrics', protocol: 'TCP', port: 9100 },
  ],
};
const slices: ApiObjects['endpointSlices'] = [
  {
    namespace: 'default',
    name: 'web-1',
    service: 'web',
    addressType: 'IPv4',
    apiVersion: 'discovery.k8s.io/v1',
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    endpoints: [ep('10.244.1.5', 'n1'), ep('10.244.2.5', 'n2', { ready: false, terminating: true })],
  },
  {
    namespace: 'default',
    name: 'web-6',
    service: 'web',
    addressType: 'IPv6',
    apiVersion: 'discovery.k8s.io/v1',
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    endpoints: [ep('fd00:10:244::5', 'n1')],
  },
];

describe('servicePortsFromApi', () => {
  it('one entry per Service port; slice ports matched by name; family-specific ClusterIP and slices', () => {
    const [http, metrics] = servicePortsFromApi(api([web], slices));
    expect(http).toMatchObject({
      ns: 'default',
      name: 'web',
      portName: 'http',
      proto: 'tcp',
      port: 80,
      clusterIP: '10.96.0.20',
      affinitySeconds: 10800,
    });
    expect(http.endpoints).toEqual([
      { ip: '10.244.1.5', port: 8080, node: 'n1', ready: true, serving: true, terminating: false },
      { ip: '10.244.2.5', port: 8080, node: 'n2', ready: false, serving: true, terminating: true },
    ]);
    // No slice names the metrics port: no endpoints, so the writer REJECTs it.
    expect(metrics.endpoints).toEqual([]);
    const v6 = servicePortsFromApi(api([web], slices), 6);
    expect(v6[0].clusterIP).toBe('fd00::20');
    expect(v6[0].endpoints.map((e) => e.ip)).toEqual(['fd00:10:244::5']);
  });

  it('headless and ExternalName Services get no rules', () => {
    const headless: ServiceModel = {
      ...base,
      namespace: 'default',
      name: 'db',
      clusterIPs: ['None'],
      ports: [{ protocol: 'TCP', port: 5432 }],
    };
    const ext: ServiceModel = {
      ...base,
      namespace: 'default',
      name: 'x',
      type: 'ExternalName',
      externalName: 'db.example.com',
      clusterIPs: [],
      ports: [{ protocol: 'TCP', port: 5432 }],
    };
    expect(servicePortsFromApi(api([headless, ext], []))).toEqual([]);
  });

  it('the writer then picks the pools: ready endpoints only while one is ready', () => {
    const text = buildKubeRules(servicePortsFromApi(api([web], slices)), { nodeName: 'n1', podCIDR: '10.244.0.0/16' });
    expect(text).toContain('-j DNAT --to-destination 10.244.1.5:8080');
    expect(text).not.toContain('10.244.2.5:8080');
    expect(text).toContain('"default/web:metrics has no endpoints"');
  });
});
