import { CoreV1Api, KubeConfig, KubernetesObjectApi, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './client';
import { listApiObjects, ApiReadError } from './list';
import { watchApiObjects, type WatchEvent } from './watch';
import { apiserverUnavailable, startTestApiserver, type TestApiserver } from '../../testkit/apiserver';

const why = process.getuid?.() === 0 ? apiserverUnavailable() : 'not root';
if (why) console.warn(`lib/k8s: skipping real-apiserver tests: ${why}`);

describe.skipIf(!!why)('lib/k8s against a real kube-apiserver v1.20.2', () => {
  let api: TestApiserver;

  beforeAll(async () => {
    api = await startTestApiserver();
    const { kc } = loadKubeConfig({ kubeconfig: api.kubeconfigs.admin });
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'ns1' } } });
    await core.createNamespace({ body: { metadata: { name: 'kube-system' } } }).catch(() => undefined);
    await core.createNode({
      body: {
        metadata: { name: 'node-a', labels: { zone: 'z1' } },
        spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
      },
    });
    await core.createNamespacedService({
      namespace: 'ns1',
      body: {
        metadata: { name: 'svc1' },
        spec: {
          clusterIP: '10.96.0.41',
          selector: { app: 'a' },
          ports: [
            { name: 'p80', port: 80, targetPort: 8080 },
            { name: 'dns', port: 53, protocol: 'UDP' },
          ],
        },
      },
    });
    const pod = await core.createNamespacedPod({
      namespace: 'ns1',
      body: {
        metadata: { name: 'pod-a', labels: { app: 'a' } },
        spec: {
          nodeName: 'node-a',
          automountServiceAccountToken: false,
          containers: [{ name: 'c', image: 'x' }],
          dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
        },
      },
    });
    pod.status = {
      phase: 'Running',
      podIP: '10.244.1.2',
      podIPs: [{ ip: '10.244.1.2' }],
      hostIP: '192.168.77.11',
      conditions: [{ type: 'Ready', status: 'True' }],
    };
    await core.replaceNamespacedPodStatus({ name: 'pod-a', namespace: 'ns1', body: pod });
    await objects.create({
      apiVersion: 'discovery.k8s.io/v1beta1',
      kind: 'EndpointSlice',
      metadata: { name: 'svc1-abcde', namespace: 'ns1', labels: { 'kubernetes.io/service-name': 'svc1' } },
      addressType: 'IPv4',
      ports: [{ name: 'p80', port: 8080, protocol: 'TCP' }],
      endpoints: [
        {
          addresses: ['10.244.1.2'],
          conditions: { ready: true },
          topology: { 'kubernetes.io/hostname': 'node-a' },
          targetRef: { kind: 'Pod', namespace: 'ns1', name: 'pod-a' },
        },
        { addresses: ['10.244.2.9'], conditions: { ready: false } },
      ],
    } as never);
    await core.createNamespacedConfigMap({
      namespace: 'kube-system',
      body: { metadata: { name: 'coredns' }, data: { Corefile: '.:53 {\n    kubernetes cluster.local\n}\n' } },
    });
    await core.createNamespacedConfigMap({
      namespace: 'kube-system',
      body: { metadata: { name: 'kube-proxy' }, data: { 'config.conf': 'kind: KubeProxyConfiguration\nmode: ""\n' } },
    });
    // viewer may read services, pods and nodes, but not endpointslices or configmaps.
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createClusterRole({
      body: {
        metadata: { name: 'kp-viewer' },
        rules: [{ apiGroups: [''], resources: ['services', 'pods', 'nodes'], verbs: ['list', 'get', 'watch'] }],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'kp-viewer' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kp-viewer' },
        subjects: [{ kind: 'User', name: 'viewer', apiGroup: 'rbac.authorization.k8s.io' }],
      },
    });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('reads and reshapes everything; EndpointSlices fall back from v1 to v1beta1 on a 1.20 API', async () => {
    const { kc, cluster } = loadKubeConfig({ kubeconfig: api.kubeconfigs.admin });
    expect(cluster).toEqual({ name: 'kp-test', context: 'admin@kp-test', server: api.server });
    const o = await listApiObjects(kc);
    expect(o.notes).toEqual([]);
    const svc = o.services.find((s) => s.name === 'svc1')!;
    expect(svc).toMatchObject({
      namespace: 'ns1',
      type: 'ClusterIP',
      clusterIPs: ['10.96.0.41'],
      selector: { app: 'a' },
    });
    expect(svc.ports).toEqual([
      { name: 'p80', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: undefined },
      { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53, nodePort: undefined },
    ]);
    expect(o.services.some((s) => s.namespace === 'default' && s.name === 'kubernetes')).toBe(true);
    const es = o.endpointSlices.find((e) => e.name === 'svc1-abcde')!;
    expect(es.apiVersion).toBe('discovery.k8s.io/v1beta1');
    expect(es.service).toBe('svc1');
    expect(es.endpoints[0]).toEqual({
      addresses: ['10.244.1.2'],
      ready: true,
      serving: true,
      terminating: false,
      nodeName: 'node-a',
      hostname: undefined,
      targetRef: { kind: 'Pod', namespace: 'ns1', name: 'pod-a', uid: undefined },
    });
    expect(es.endpoints[1]).toMatchObject({ ready: false, serving: false, nodeName: undefined });
    const pod = o.pods.find((p) => p.name === 'pod-a')!;
    expect(pod).toMatchObject({
      nodeName: 'node-a',
      podIPs: ['10.244.1.2'],
      hostIP: '192.168.77.11',
      ready: true,
      hostNetwork: false,
      phase: 'Running',
      dnsPolicy: 'ClusterFirst',
    });
    expect(pod.dnsConfig?.options).toEqual([{ name: 'ndots', value: '2' }]);
    expect(o.nodes).toEqual([
      { name: 'node-a', addresses: [], podCIDRs: ['10.244.1.0/24'], ready: undefined, labels: { zone: 'z1' } },
    ]);
    expect(o.corefile).toContain('kubernetes cluster.local');
    expect(o.kubeProxyConfig).toContain('KubeProxyConfiguration');
  });

  it('a forbidden resource gives a partial view with notes, never the token', async () => {
    const { kc } = loadKubeConfig({ kubeconfig: api.kubeconfigs.viewer });
    const o = await listApiObjects(kc);
    expect(o.services.length).toBeGreaterThan(0);
    expect(o.pods.map((p) => p.name)).toEqual(['pod-a']);
    expect(o.endpointSlices).toEqual([]);
    expect(o.notes.map((n) => n.resource)).toEqual([
      'endpointslices',
      'configmaps/kube-system/coredns',
      'configmaps/kube-system/kube-proxy',
    ]);
    expect(o.notes[0].reason).toMatch(/^forbidden \(403\): .*"viewer" cannot list resource "endpointslices"/);
    expect(JSON.stringify(o)).not.toContain('viewer-token');
  });

  it('with no rights at all every resource is a note', async () => {
    const o = await listApiObjects(loadKubeConfig({ kubeconfig: api.kubeconfigs.nobody }).kc);
    expect(o.notes).toHaveLength(6);
    expect(o.services).toEqual([]);
  });

  it('watch delivers reshaped ADDED/DELETED events (EndpointSlices at v1beta1)', async () => {
    const { kc } = loadKubeConfig({ kubeconfig: api.kubeconfigs.admin });
    const events: WatchEvent[] = [];
    const stop = await watchApiObjects(kc, {
      endpointSliceVersion: 'discovery.k8s.io/v1beta1',
      onEvent: (e) => events.push(e),
    });
    try {
      const core = kc.makeApiClient(CoreV1Api);
      await core.createNamespacedService({
        namespace: 'ns1',
        body: { metadata: { name: 'watched' }, spec: { clusterIP: '10.96.0.77', ports: [{ port: 81 }] } },
      });
      await core.deleteNamespacedService({ name: 'watched', namespace: 'ns1' });
      for (let i = 0; i < 100 && !events.some((e) => e.type === 'DELETED' && e.object.name === 'watched'); i++)
        await new Promise((r) => setTimeout(r, 100));
      const mine = events.filter((e) => e.kind === 'Service' && e.object.name === 'watched').map((e) => e.type);
      expect(mine[0]).toBe('ADDED');
      expect(mine.at(-1)).toBe('DELETED');
      const added = events.find((e) => e.kind === 'Service' && e.object.name === 'watched')!;
      expect(added.object).toMatchObject({
        namespace: 'ns1',
        clusterIPs: ['10.96.0.77'],
        ports: [{ protocol: 'TCP', port: 81 }],
      });
      // The initial state arrives as ADDED events too, reshaped: the v1beta1 slice from beforeAll.
      expect(
        events.some(
          (e) =>
            e.kind === 'EndpointSlice' && e.object.name === 'svc1-abcde' && e.object.endpoints[0].nodeName === 'node-a',
        ),
      ).toBe(true);
    } finally {
      stop();
    }
  });

  it('an unknown context and an unreachable server are clear errors', async () => {
    expect(() => loadKubeConfig({ kubeconfig: api.kubeconfigs.admin, context: 'nope' })).toThrow(
      /no context "nope" \(contexts: admin@kp-test\)/,
    );
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
      users: [{ name: 'u', token: 'secret-token-x' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const err = await listApiObjects(kc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiReadError);
    expect((err as ApiReadError).kind).toBe('unreachable');
    expect((err as Error).message).not.toContain('secret-token-x');
  });
});
