/**
 * The cluster the DNS lab (and the worked examples of docs/dns-semantics.md §6) uses, as lib/model
 * objects. The kube-dns ClusterIP is a parameter so each lab run can use its own subnet.
 */
import type { EndpointModel, EndpointSliceModel, PodModel, ServiceModel } from '@/lib/model/k8s';
import type { LabObjects } from '@/testkit/dns-lab/dnsmasq-config';

function svc(
  namespace: string,
  name: string,
  clusterIPs: string[],
  ports: ServiceModel['ports'] = [],
  extra: Partial<ServiceModel> = {},
): ServiceModel {
  return {
    namespace,
    name,
    type: 'ClusterIP',
    clusterIPs,
    ports,
    externalIPs: [],
    loadBalancerIPs: [],
    loadBalancerSourceRanges: [],
    ...extra,
  };
}
function ep(ip: string, ready: boolean, hostname?: string, pod?: string): EndpointModel {
  return {
    addresses: [ip],
    ready,
    serving: ready,
    terminating: false,
    hostname,
    targetRef: pod ? { kind: 'Pod', name: pod } : undefined,
  };
}
function slice(
  namespace: string,
  service: string,
  endpoints: EndpointModel[],
  ports: EndpointSliceModel['ports'] = [],
): EndpointSliceModel {
  return {
    namespace,
    name: `${service}-abcde`,
    service,
    addressType: 'IPv4',
    ports,
    endpoints,
    apiVersion: 'discovery.k8s.io/v1',
  };
}
function pod(namespace: string, name: string, ip: string): PodModel {
  return { namespace, name, podIPs: [ip], ready: true, hostNetwork: false };
}

export function labCluster(kubeDnsIp: string): LabObjects {
  return {
    namespaces: ['default', 'kube-system', 'app', 'prod'],
    services: [
      svc(
        'kube-system',
        'kube-dns',
        [kubeDnsIp],
        [
          { name: 'dns', protocol: 'UDP', port: 53 },
          { name: 'dns-tcp', protocol: 'TCP', port: 53 },
        ],
      ),
      svc('default', 'kubernetes', ['10.96.0.1'], [{ name: 'https', protocol: 'TCP', port: 443 }]),
      svc(
        'prod',
        'web',
        ['10.96.12.34'],
        [
          { name: 'http', protocol: 'TCP', port: 80 },
          { name: 'grpc', protocol: 'TCP', port: 9090 },
        ],
      ),
      svc('prod', 'db', ['None'], [{ name: 'pg', protocol: 'TCP', port: 5432 }]),
      svc('prod', 'api-hl', ['None'], [{ name: 'http', protocol: 'TCP', port: 8080 }]),
      svc('prod', 'alias', [], [], { type: 'ExternalName', externalName: 'web.prod.svc.cluster.local' }),
      svc('prod', 'ext-ip', [], [], { type: 'ExternalName', externalName: '203.0.113.9' }),
      svc('app', 'cache', ['10.96.40.1'], [{ protocol: 'TCP', port: 6379 }]),
      svc('app', 'idle', ['10.96.40.2'], [{ name: 'http', protocol: 'TCP', port: 80 }]),
      svc('app', 'empty-hl', ['None'], [{ name: 'http', protocol: 'TCP', port: 80 }]),
      svc('app', 'dual', ['10.96.40.3', 'fd00:96::3'], [{ name: 'http', protocol: 'TCP', port: 80 }]),
    ],
    endpointSlices: [
      slice(
        'kube-system',
        'kube-dns',
        [ep('10.244.1.2', true), ep('10.244.2.3', true)],
        [{ name: 'dns', port: 53, protocol: 'UDP' }],
      ),
      slice(
        'prod',
        'web',
        [ep('10.244.4.5', true, undefined, 'web-1'), ep('10.244.4.6', true, undefined, 'web-2')],
        [{ name: 'http', port: 8080, protocol: 'TCP' }],
      ),
      slice(
        'prod',
        'db',
        [
          ep('10.244.3.10', true, 'db-0', 'db-0'),
          ep('10.244.3.11', true, 'db-1', 'db-1'),
          ep('10.244.3.12', false, 'db-2', 'db-2'),
        ],
        [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      ),
      slice(
        'prod',
        'api-hl',
        [ep('10.244.5.6', true, undefined, 'api-1')],
        [{ name: 'http', port: 8080, protocol: 'TCP' }],
      ),
      slice(
        'app',
        'empty-hl',
        [ep('10.244.6.7', false, undefined, 'slow-1')],
        [{ name: 'http', port: 80, protocol: 'TCP' }],
      ),
    ],
    pods: [
      pod('prod', 'web-1', '10.244.4.5'),
      pod('prod', 'web-2', '10.244.4.6'),
      pod('prod', 'db-0', '10.244.3.10'),
      pod('prod', 'db-1', '10.244.3.11'),
      pod('prod', 'api-1', '10.244.5.6'),
      pod('app', 'slow-1', '10.244.6.7'),
    ],
  };
}

/** What the upstream DNS knows (hosts format), docs/dns-semantics.md §6 plus an IPv6-only name. */
export const LAB_UPSTREAM_HOSTS = `# upstream resolver's world
192.0.2.80 www.example.com
203.0.113.7 api.partner.example
10.1.2.3 prod.corp.example.com
2001:db8::7 v6only.example.net
`;
