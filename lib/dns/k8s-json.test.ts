/**
 * Reshaping kubectl JSON, on lists CAPTURED from a real kube-apiserver + controller-manager
 * v1.20.2 (testkit/dns-lab/capture-k8s.sh): the EndpointSlices there are discovery.k8s.io/v1beta1
 * and were written by the real EndpointSlice controller.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { endpointSlicesFromJson, podsFromJson, servicesFromJson, K8sJsonError } from '@/lib/dns/k8s-json';
import { explainDnsLookup } from '@/lib/dns/explain';

const FIX = path.join(import.meta.dirname, '__fixtures__', 'k8s');
const read = (f: string) => readFileSync(path.join(FIX, f), 'utf8');
const services = servicesFromJson(read('services.json'));
const slices = endpointSlicesFromJson(read('endpointslices.json'));
const pods = podsFromJson(read('pods.json'));

describe('kubectl JSON → model (real apiserver capture)', () => {
  it('services: ClusterIP, headless, ExternalName, unnamed port', () => {
    const by = (ns: string, n: string) => services.find((s) => s.namespace === ns && s.name === n)!;
    expect(by('prod', 'web')).toMatchObject({
      type: 'ClusterIP',
      clusterIPs: ['10.96.12.34'],
      ports: [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'grpc', port: 9090, protocol: 'TCP' },
      ],
    });
    expect(by('prod', 'db').clusterIPs).toEqual(['None']);
    expect(by('prod', 'ext')).toMatchObject({ type: 'ExternalName', externalName: 'api.partner.example' });
    expect(by('app', 'cache').ports[0].name).toBeUndefined();
    expect(by('kube-system', 'kube-dns').clusterIPs).toEqual(['10.96.0.10']);
  });

  it('v1beta1 EndpointSlices: readiness, hostname, node from topology, publishNotReadyAddresses', () => {
    expect(new Set(slices.map((s) => s.apiVersion))).toEqual(new Set(['discovery.k8s.io/v1beta1']));
    const db = slices.filter((s) => s.service === 'db').flatMap((s) => s.endpoints);
    expect(db.map((e) => [e.addresses[0], e.ready, e.hostname, e.nodeName])).toEqual([
      ['10.244.3.10', true, 'db-0', 'node-1'],
      ['10.244.3.11', true, 'db-1', 'node-1'],
      ['10.244.3.12', false, 'db-2', 'node-1'],
    ]);
    // warmup-0 is NOT ready, but the Service publishes not-ready addresses: the controller says ready.
    expect(slices.filter((s) => s.service === 'warmup').flatMap((s) => s.endpoints.map((e) => e.ready))).toEqual([
      true,
    ]);
  });

  it('pods: IPs, readiness, hostname/subdomain', () => {
    expect(pods.find((p) => p.name === 'db-0')).toMatchObject({
      namespace: 'prod',
      podIPs: ['10.244.3.10'],
      ready: true,
      hostname: 'db-0',
      subdomain: 'db',
      hostNetwork: false,
    });
    expect(pods.find((p) => p.name === 'warmup-0')?.ready).toBe(false);
  });

  it('DNS answers from the captured objects', () => {
    const resolvConf =
      'nameserver 10.96.0.10\nsearch app.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n';
    const run = (name: string) =>
      explainDnsLookup({
        resolvConf,
        name,
        objects: { services, endpointSlices: slices, pods },
        endpointSlicesKnown: true,
      });
    expect(run('db.prod').addresses).toEqual(['10.244.3.10', '10.244.3.11']);
    expect(run('db-2.db.prod').status).toBe('EAI_NONAME');
    expect(run('warmup.prod').addresses).toEqual(['10.244.3.20']);
    expect(run('web.prod').addresses).toEqual(['10.96.12.34']);
    expect(run('cache').findings.some((f) => f.id === 'nameserver-not-cluster-dns')).toBe(false);
  });

  it('bad input is a typed error naming the file and the problem', () => {
    expect(() => servicesFromJson('{"items": [', 'svc.json')).toThrow(K8sJsonError);
    expect(() => servicesFromJson('{"items": [', 'svc.json')).toThrow(/svc.json: not JSON/);
    expect(() => servicesFromJson(read('pods.json'), 'pods.json')).toThrow(/items\[0\] is a Pod, expected Service/);
    expect(() => podsFromJson('{"kind":"PodList","items":[{"metadata":{}}]}', 'p.json')).toThrow(
      /items\[0\] has no metadata.name/,
    );
    expect(() => endpointSlicesFromJson('[]', 'e.json')).toThrow(/expected a List of EndpointSlice/);
  });

  it('a single object (not a List) is accepted', () => {
    const one = JSON.parse(read('services.json')).items[0];
    expect(servicesFromJson(JSON.stringify(one))).toHaveLength(1);
  });
});
