import { describe, expect, it } from 'vitest';
import { recognizeLegacyKubeDns } from '@/lib/dns/legacy-kube-dns';

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'kube-dns', namespace: 'kube-system' },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'kubedns',
            args: ['--domain=cluster.local.', '--dns-port=10053', '--config-dir=/kube-dns-config', '--v=2'],
          },
          {
            name: 'dnsmasq',
            args: [
              '-v=2',
              '-logtostderr',
              '-configDir=/etc/k8s/dns/dnsmasq-nanny',
              '-restartDnsmasq=true',
              '--',
              '-k',
              '--cache-size=1000',
              '--no-negcache',
              '--server=/cluster.local/127.0.0.1#10053',
              '--server=/in-addr.arpa/127.0.0.1#10053',
              '--server=/ip6.arpa/127.0.0.1#10053',
              '--server=/acme.local/10.150.0.1',
            ],
          },
          { name: 'sidecar', args: ['--probe=kubedns,127.0.0.1:10053,kubernetes.default.svc.cluster.local,5,SRV'] },
        ],
      },
    },
  },
};

describe('legacy kube-dns', () => {
  it('ConfigMap: stubDomains and upstreamNameservers become server blocks (max 3 upstreams)', () => {
    const r = recognizeLegacyKubeDns({
      kind: 'ConfigMap',
      metadata: { name: 'kube-dns' },
      data: {
        stubDomains: '{"consul.local": ["10.150.0.1"]}',
        upstreamNameservers: '["8.8.8.8", "8.8.4.4", "1.1.1.1", "9.9.9.9"]',
      },
    })!;
    expect(r.source).toBe('ConfigMap');
    expect(r.upstreamNameservers).toEqual(['8.8.8.8', '8.8.4.4', '1.1.1.1']);
    expect(r.servers.map((s) => [s.zones, s.forward?.to])).toEqual([
      [['.'], ['8.8.8.8', '8.8.4.4', '1.1.1.1']],
      [['consul.local.'], ['10.150.0.1']],
    ]);
    expect(r.servers[0].kubernetes).toMatchObject({ zones: ['cluster.local.'], pods: 'insecure', ttl: 30 });
    expect(r.explanation.join('\n')).toMatch(/no effect|do not apply/);
  });

  it('ConfigMap without upstreams forwards to the node resolv.conf', () => {
    expect(
      recognizeLegacyKubeDns({ kind: 'ConfigMap', metadata: { name: 'kube-dns' }, data: {} })!.servers[0].forward?.to,
    ).toEqual(['/etc/resolv.conf']);
  });

  it('Deployment: domain from kubedns args, stub domains from dnsmasq --server flags (not the kubedns ones)', () => {
    const r = recognizeLegacyKubeDns(DEPLOYMENT)!;
    expect(r).toMatchObject({
      source: 'Deployment',
      clusterDomain: 'cluster.local',
      stubDomains: { 'acme.local': ['10.150.0.1'] },
    });
  });

  it('anything else is not recognised', () => {
    expect(recognizeLegacyKubeDns({ kind: 'ConfigMap', metadata: { name: 'coredns' }, data: {} })).toBeUndefined();
    expect(
      recognizeLegacyKubeDns({
        kind: 'Deployment',
        spec: { template: { spec: { containers: [{ name: 'coredns' }] } } },
      }),
    ).toBeUndefined();
    expect(recognizeLegacyKubeDns('x')).toBeUndefined();
  });
});
