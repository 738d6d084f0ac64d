/**
 * The worked examples of docs/dns-semantics.md §7 (E7–E13) through the public entry point, on the §6
 * cluster (testkit/dns-lab/lab-cluster.ts with kube-dns at 10.96.0.10).
 */
import { describe, expect, it } from 'vitest';
import { explainDnsLookup, type DnsExplainInput } from '@/lib/dns/explain';
import { KUBEADM_DEFAULT_COREFILE } from '@/lib/dns/coredns-config';
import { labCluster, LAB_UPSTREAM_HOSTS } from '@/testkit/dns-lab/lab-cluster';

const objects = labCluster('10.96.0.10');
objects.services.push({
  namespace: 'prod',
  name: 'ext',
  type: 'ExternalName',
  clusterIPs: [],
  ports: [],
  externalIPs: [],
  loadBalancerIPs: [],
  loadBalancerSourceRanges: [],
  externalName: 'api.partner.example',
});
const E1 =
  'nameserver 10.96.0.10\nsearch app.svc.cluster.local svc.cluster.local cluster.local corp.example.com\noptions ndots:5\n';
const E12 = E1.replace('ndots:5', 'ndots:2');

function explain(name: string, extra: Partial<DnsExplainInput> = {}) {
  return explainDnsLookup({
    resolvConf: E1,
    name,
    objects,
    endpointSlicesKnown: true,
    upstreamHosts: LAB_UPSTREAM_HOSTS,
    ...extra,
  });
}
const names = (r: ReturnType<typeof explain>) => r.steps.map((s) => s.candidate.fqdn);

describe('worked examples', () => {
  it('E7 web.prod: NXDOMAIN in own namespace, then the Service VIP; 4 queries; AAAA is NODATA', () => {
    const r = explain('web.prod');
    expect(names(r)).toEqual(['web.prod.app.svc.cluster.local.', 'web.prod.svc.cluster.local.']);
    expect(r.queries).toHaveLength(4);
    expect(r.queries.map((q) => q.rcode)).toEqual(['NXDOMAIN', 'NXDOMAIN', 'NOERROR', 'NODATA']);
    expect(r.queries[2].answers).toEqual([
      { name: 'web.prod.svc.cluster.local.', type: 'A', ttl: 30, data: '10.96.12.34' },
    ]);
    expect(r.addresses).toEqual(['10.96.12.34']);
    expect(r.nameserverPaths).toEqual([
      { ip: '10.96.0.10', port: 53, proto: 'udp', kind: 'kube-dns-clusterip', trace: undefined },
    ]);
  });

  it('E8 cache: one candidate, 2 queries', () => {
    const r = explain('cache');
    expect(r.queries).toHaveLength(2);
    expect(r.addresses).toEqual(['10.96.40.1']);
    expect(r.findings.find((f) => f.id === 'ndots-amplification')).toBeUndefined();
  });

  it('E9 web from the wrong namespace: 5 names, 10 queries, 4 forwarded, EAI_NONAME', () => {
    const r = explain('web');
    expect(names(r)).toEqual([
      'web.app.svc.cluster.local.',
      'web.svc.cluster.local.',
      'web.cluster.local.',
      'web.corp.example.com.',
      'web.',
    ]);
    expect(r.queries).toHaveLength(10);
    expect(r.queries.filter((q) => q.via === 'forward')).toHaveLength(4);
    expect(r.status).toBe('EAI_NONAME');
    expect(r.queries[2].detail).toMatch(/namespace "web" does not exist/);
    expect(r.queries[4].detail).toMatch(/must be "svc" or "pod"/);
  });

  it('E10 www.example.com: ndots amplification, 10 queries, answer from upstream', () => {
    const r = explain('www.example.com');
    expect(r.queries).toHaveLength(10);
    expect(r.addresses).toEqual(['192.0.2.80']);
    const f = r.findings.find((x) => x.id === 'ndots-amplification');
    expect(f?.severity).toBe('warning');
    expect(f?.fix).toContain('www.example.com.');
  });

  it('E11 trailing dot: exactly one name, same for glibc and musl', () => {
    for (const flavor of ['glibc', 'musl'] as const) {
      const r = explain('www.example.com.', { flavor });
      expect(names(r)).toEqual(['www.example.com.']);
      expect(r.queries).toHaveLength(2);
      expect(r.addresses).toEqual(['192.0.2.80']);
    }
  });

  it('E12 ndots:2: www.example.com as-is first (2 queries); web.prod still searches', () => {
    expect(explain('www.example.com', { resolvConf: E12 }).queries).toHaveLength(2);
    expect(names(explain('web.prod', { resolvConf: E12 }))).toEqual([
      'web.prod.app.svc.cluster.local.',
      'web.prod.svc.cluster.local.',
    ]);
  });

  it('E13 web.prod.svc with ndots:2: glibc searches after the as-is failure (Q=8), musl fails', () => {
    const g = explain('web.prod.svc', { resolvConf: E12 });
    expect(names(g)).toEqual([
      'web.prod.svc.',
      'web.prod.svc.app.svc.cluster.local.',
      'web.prod.svc.svc.cluster.local.',
      'web.prod.svc.cluster.local.',
    ]);
    expect(g.queries).toHaveLength(8);
    expect(g.addresses).toEqual(['10.96.12.34']);
    const m = explain('web.prod.svc', { resolvConf: E12, flavor: 'musl' });
    expect(names(m)).toEqual(['web.prod.svc.']);
    expect(m.status).toBe('EAI_NONAME');
    expect(m.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['musl-no-search', 'resolver-flavors-differ']));
  });
});

describe('cluster answers through CoreDNS', () => {
  it('ExternalName to an outside name: CNAME plus the chased upstream A', () => {
    const r = explain('ext.prod');
    const hit = r.queries.find((q) => q.name === 'ext.prod.svc.cluster.local.' && q.type === 'A')!;
    expect(hit.answers.map((a) => `${a.type} ${a.data}`)).toEqual(['CNAME api.partner.example.', 'A 203.0.113.7']);
    expect(r.addresses).toEqual(['203.0.113.7']);
  });

  it('ExternalName holding an IP literal is NXDOMAIN and flagged', () => {
    const r = explain('ext-ip.prod.svc.cluster.local.');
    expect(r.queries[0].rcode).toBe('NXDOMAIN');
    expect(r.findings.some((f) => f.id === 'externalname-ip')).toBe(true);
  });

  it('glibc vs musl on a NODATA candidate: glibc reaches prod.corp.example.com, musl stops', () => {
    const g = explain('prod');
    expect(g.addresses).toEqual(['10.1.2.3']);
    const m = explain('prod', { flavor: 'musl' });
    expect(m.status).toBe('EAI_NONAME');
    expect(m.steps.at(-1)?.candidate.fqdn).toBe('prod.svc.cluster.local.');
    expect(m.findings.some((f) => f.id === 'musl-stops-on-nodata')).toBe(true);
  });

  it('no ready CoreDNS endpoint: no answer, EAI_AGAIN, error finding', () => {
    const noDns = {
      ...objects,
      endpointSlices: objects.endpointSlices.map((s) =>
        s.service === 'kube-dns' ? { ...s, endpoints: s.endpoints.map((e) => ({ ...e, ready: false })) } : s,
      ),
    };
    const r = explain('web.prod', { objects: noDns });
    expect(r.status).toBe('EAI_AGAIN');
    expect(r.queries.every((q) => q.rcode === 'NO_RESPONSE')).toBe(true);
    expect(r.findings.find((f) => f.id === 'no-ready-coredns')?.severity).toBe('error');
  });

  it('nameserver that is not the cluster DNS is flagged and answers only what upstream knows', () => {
    const r = explain('web.prod.svc.cluster.local', { resolvConf: 'nameserver 10.0.0.2\nsearch corp.example.com\n' });
    expect(r.status).toBe('EAI_NONAME');
    expect(r.queries[0].via).toBe('not-cluster-dns');
    expect(r.findings.some((f) => f.id === 'nameserver-not-cluster-dns')).toBe(true);
  });

  it('NodeLocal DNSCache address is recognised and answers like the cluster DNS', () => {
    const r = explain('web.prod', { resolvConf: E1.replace('10.96.0.10', '169.254.20.10') });
    expect(r.addresses).toEqual(['10.96.12.34']);
    expect(r.nameserverPaths[0].kind).toBe('nodelocal-dnscache');
    expect(r.findings.some((f) => f.id === 'nodelocal-dnscache')).toBe(true);
  });

  it('forward loop: node resolv.conf pointing at 127.0.0.53 crashes CoreDNS (loop plugin), nothing answers', () => {
    const r = explain('web.prod', { nodeResolvConf: 'nameserver 127.0.0.53\n' });
    expect(r.findings.find((f) => f.id === 'forward-loop')?.message).toMatch(/127\.0\.0\.53.*loop plugin/);
    expect(r.status).toBe('EAI_AGAIN');
    expect(r.queries.map((q) => q.rcode)).toEqual(['NO_RESPONSE', 'NO_RESPONSE']);
  });

  it('forward loop without the loop plugin: forwarded names SERVFAIL, cluster names still work', () => {
    const corefile = '.:53 {\n  kubernetes cluster.local\n  forward . 127.0.0.1\n}\n';
    expect(explain('web.prod', { corefile }).addresses).toEqual(['10.96.12.34']);
    const r = explain('www.example.com', { corefile });
    expect(r.queries.find((q) => q.name === 'www.example.com.corp.example.com.')?.rcode).toBe('SERVFAIL');
    expect(r.status).toBe('EAI_AGAIN'); // glibc: every candidate failed, SERVFAIL seen → TRY_AGAIN
  });

  it('hands every nameserver to the tracer callback', () => {
    const calls: string[] = [];
    const r = explain('web.prod', {
      traceNameserver: (ip, port, proto) => {
        calls.push(`${ip}:${port}/${proto}`);
        return { verdict: 'dnat' };
      },
    });
    expect(calls).toEqual(['10.96.0.10:53/udp']);
    expect(r.nameserverPaths[0].trace).toEqual({ verdict: 'dnat' });
  });

  it('use-vc makes glibc use TCP to the nameserver', () => {
    const r = explain('web.prod', { resolvConf: `${E1}options use-vc\n` });
    expect(r.nameserverPaths[0].proto).toBe('tcp');
  });

  it('transport and conntrack-race finding follow the glibc options', () => {
    const plain = explain('web.prod');
    expect(plain.transport).toMatch(/^glibc: over UDP, A and AAAA back-to-back from the same socket/);
    expect(plain.findings.some((f) => f.id === 'conntrack-race')).toBe(true);
    const reopen = explain('web.prod', { resolvConf: `${E1}options single-request-reopen\n` });
    expect(reopen.transport).toMatch(/new socket \(single-request-reopen\)/);
    expect(reopen.findings.some((f) => f.id === 'conntrack-race')).toBe(false);
    expect(explain('web.prod', { flavor: 'musl' }).transport).toMatch(
      /^musl: A and AAAA sent together over UDP to all 1 nameserver/,
    );
  });

  describe('autopath @kubernetes', () => {
    const AUTOPATH = KUBEADM_DEFAULT_COREFILE.replace('pods insecure', 'pods verified').replace(
      '    ready\n',
      '    ready\n    autopath @kubernetes\n',
    );
    const prodConf =
      'nameserver 10.96.0.10\nsearch prod.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n';

    it('answers the first candidate server-side with a CNAME to the name that exists (2 queries instead of 8)', () => {
      const r = explain('www.example.com', {
        resolvConf: prodConf,
        corefile: AUTOPATH,
        clientIp: '10.244.4.5',
        nodeResolvConf: 'nameserver 10.0.0.2\nsearch corp.example.com\n',
      });
      expect(r.queries).toHaveLength(2);
      expect(r.queries[0]).toMatchObject({
        name: 'www.example.com.prod.svc.cluster.local.',
        via: 'autopath',
        rcode: 'NOERROR',
      });
      expect(r.queries[0].answers.map((a) => `${a.type} ${a.data}`)).toEqual([
        'CNAME www.example.com.',
        'A 192.0.2.80',
      ]);
      expect(r.addresses).toEqual(['192.0.2.80']);
      expect(r.findings.find((f) => f.id === 'autopath')?.message).toMatch(/answered the first candidate server-side/);
    });

    it('does not apply without the client IP, through NodeLocal DNSCache, or with pods insecure', () => {
      const base = { resolvConf: prodConf, corefile: AUTOPATH };
      expect(explain('www.example.com', base).queries).toHaveLength(8);
      expect(explain('www.example.com', base).findings.find((f) => f.id === 'autopath')?.message).toMatch(
        /client pod IP is not known/,
      );
      expect(
        explain('www.example.com', {
          ...base,
          clientIp: '10.244.4.5',
          resolvConf: prodConf.replace('10.96.0.10', '169.254.20.10'),
        }).queries,
      ).toHaveLength(8);
      expect(
        explain('www.example.com', {
          ...base,
          clientIp: '10.244.4.5',
          corefile: AUTOPATH.replace('pods verified', 'pods insecure'),
        }).queries,
      ).toHaveLength(8);
    });
  });

  it('legacy kube-dns ConfigMap: stub domain forwarded, explained', () => {
    const cm = JSON.stringify({
      kind: 'ConfigMap',
      metadata: { name: 'kube-dns', namespace: 'kube-system' },
      data: { stubDomains: '{"corp.example.com": ["10.150.0.1"]}', upstreamNameservers: '["8.8.8.8"]' },
    });
    const r = explain('prod', { corefile: cm });
    const q = r.queries.find((x) => x.name === 'prod.corp.example.com.')!;
    expect(q.via).toBe('stub-domain');
    expect(q.forwardedTo).toEqual(['10.150.0.1']);
    expect(r.findings.find((f) => f.id === 'legacy-kube-dns')?.message).toMatch(
      /stub domain corp.example.com → 10.150.0.1/,
    );
  });
});

describe('resolv.conf derived from the pod (kubelet rules)', () => {
  const withPods = {
    ...objects,
    pods: [
      ...objects.pods,
      { namespace: 'app', name: 'client', podIPs: ['10.244.6.9'], ready: true, hostNetwork: false },
      { namespace: 'app', name: 'hostnet', podIPs: ['192.0.2.11'], ready: true, hostNetwork: true },
      {
        namespace: 'app',
        name: 'tuned',
        podIPs: ['10.244.6.10'],
        ready: true,
        hostNetwork: false,
        dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
      },
    ],
  };
  const NODE = 'nameserver 10.0.0.2\nsearch corp.example.com\noptions timeout:2 attempts:3\n';
  const derive = (pod: string, name: string) =>
    explainDnsLookup({
      pod,
      name,
      objects: withPods,
      nodeResolvConf: NODE,
      upstreamHosts: LAB_UPSTREAM_HOSTS,
      endpointSlicesKnown: true,
    });

  it('ClusterFirst pod: E1 file, E7 answer', () => {
    const r = derive('app/client', 'web.prod');
    expect(r.config.search).toEqual([
      'app.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
      'corp.example.com',
    ]);
    expect(r.config.nameservers).toEqual(['10.96.0.10']);
    expect(r.addresses).toEqual(['10.96.12.34']);
    expect(r.findings[0]).toMatchObject({
      id: 'kubelet-resolv-conf',
      message: expect.stringMatching(/dnsPolicy ClusterFirst → ClusterFirst/),
    });
  });

  it('hostNetwork + ClusterFirst: node resolv.conf, cluster short names fail, warning with the fix', () => {
    const r = derive('app/hostnet', 'web.prod');
    expect(r.config.nameservers).toEqual(['10.0.0.2']);
    expect(r.status).toBe('EAI_NONAME');
    expect(r.findings.find((f) => f.fix === 'Set dnsPolicy: ClusterFirstWithHostNet.')).toBeDefined();
  });

  it('dnsConfig ndots:2 lowers the cost of an external name to 2 queries', () => {
    expect(derive('app/tuned', 'www.example.com').queries).toHaveLength(2);
    expect(derive('app/client', 'www.example.com').queries).toHaveLength(10);
  });

  it('unknown pod or nothing to go on is a clear error', () => {
    expect(() => derive('app/ghost', 'x')).toThrow(/pod app\/ghost is not in the pods list/);
    expect(() => explainDnsLookup({ name: 'x' })).toThrow(/either a resolv.conf or a pod/);
  });
});
