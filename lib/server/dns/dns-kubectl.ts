/**
 * The snapshot's API objects written back as `kubectl get … -A -o json` Lists, the input format of
 * `kubepath dns --services/--endpointslices/--pods`. Lets anyone (and the e2e test) re-run the
 * console's DNS question with the CLI on exactly the same objects. Inverse of lib/dns/k8s-json.ts
 * for every field that reader keeps.
 */
import type { EndpointSliceModel, PodModel, ServiceModel } from '@/lib/model/k8s';

const list = (items: unknown[]) => ({ apiVersion: 'v1', kind: 'List', items });

export function servicesToKubectl(services: ServiceModel[]) {
  return list(
    services.map((s) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: s.namespace, name: s.name, uid: s.uid, labels: s.labels },
      spec: {
        type: s.type,
        clusterIP: s.clusterIPs[0],
        clusterIPs: s.clusterIPs,
        ports: s.ports,
        externalIPs: s.externalIPs,
        loadBalancerSourceRanges: s.loadBalancerSourceRanges,
        externalName: s.externalName,
        selector: s.selector,
      },
      status: { loadBalancer: { ingress: s.loadBalancerIPs.map((ip) => ({ ip })) } },
    })),
  );
}

export function endpointSlicesToKubectl(slices: EndpointSliceModel[]) {
  return list(
    slices.map((es) => ({
      apiVersion: es.apiVersion,
      kind: 'EndpointSlice',
      metadata: { namespace: es.namespace, name: es.name, labels: { 'kubernetes.io/service-name': es.service } },
      addressType: es.addressType,
      ports: es.ports,
      endpoints: es.endpoints.map((e) => ({
        addresses: e.addresses,
        conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
        nodeName: e.nodeName,
        hostname: e.hostname,
        targetRef: e.targetRef,
      })),
    })),
  );
}

export function podsToKubectl(pods: PodModel[]) {
  return list(
    pods.map((p) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: p.namespace, name: p.name, uid: p.uid, labels: p.labels },
      spec: {
        nodeName: p.nodeName,
        hostNetwork: p.hostNetwork,
        dnsPolicy: p.dnsPolicy,
        dnsConfig: p.dnsConfig,
        hostname: p.hostname,
        subdomain: p.subdomain,
      },
      status: {
        phase: p.phase,
        hostIP: p.hostIP,
        podIP: p.podIPs[0],
        podIPs: p.podIPs.map((ip) => ({ ip })),
        conditions: [{ type: 'Ready', status: p.ready ? 'True' : 'False' }],
      },
    })),
  );
}
