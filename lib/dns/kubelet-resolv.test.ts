import { describe, expect, it } from 'vitest';
import { kubeletResolvConf, kubeletReadHostFile } from '@/lib/dns/kubelet-resolv';

const NODE = 'nameserver 10.0.0.2\nsearch corp.example.com\noptions timeout:2 attempts:3\n';
const kubelet = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', hostResolvConf: NODE };
const pod = (p: Partial<Parameters<typeof kubeletResolvConf>[0]> = {}) => ({
  namespace: 'app',
  hostNetwork: false,
  ...p,
});

describe('what kubelet writes into /etc/resolv.conf (docs/dns-semantics.md §2, examples E1–E6)', () => {
  it('E1 ClusterFirst: cluster DNS, 3 cluster search domains + host, only ndots:5', () => {
    const r = kubeletResolvConf(pod(), kubelet);
    expect(r.text).toBe(
      'nameserver 10.96.0.10\nsearch app.svc.cluster.local svc.cluster.local cluster.local corp.example.com\noptions ndots:5\n',
    );
    expect(r.events).toEqual([]);
  });

  it('E2 Default: the node file as kubelet reads it', () => {
    expect(kubeletResolvConf(pod({ dnsPolicy: 'Default' }), kubelet).text).toBe(
      'nameserver 10.0.0.2\nsearch corp.example.com\noptions timeout:2 attempts:3\n',
    );
  });

  it('E3 hostNetwork: ClusterFirst falls back to Default; ClusterFirstWithHostNet does not', () => {
    expect(kubeletResolvConf(pod({ hostNetwork: true }), kubelet).effectivePolicy).toBe('Default');
    const r = kubeletResolvConf(
      pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet', namespace: 'kube-system' }),
      kubelet,
    );
    expect(r.searches[0]).toBe('kube-system.svc.cluster.local');
  });

  it('E4 None: only dnsConfig', () => {
    const r = kubeletResolvConf(
      pod({
        dnsPolicy: 'None',
        dnsConfig: {
          nameservers: ['1.2.3.4'],
          searches: ['ns1.svc.cluster.local', 'my.dns.search.suffix'],
          options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
        },
      }),
      kubelet,
    );
    expect(r.text).toBe(
      'nameserver 1.2.3.4\nsearch ns1.svc.cluster.local my.dns.search.suffix\noptions ndots:2 edns0\n',
    );
  });

  it('E5 ClusterFirst + dnsConfig merge: dedup, pod option wins', () => {
    const r = kubeletResolvConf(
      pod({
        dnsConfig: {
          nameservers: ['10.96.0.10', '8.8.8.8'],
          searches: ['svc.cluster.local', 'extra.example'],
          options: [{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }],
        },
      }),
      kubelet,
    );
    expect(r.nameservers).toEqual(['10.96.0.10', '8.8.8.8']);
    expect(r.searches).toEqual([
      'app.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
      'corp.example.com',
      'extra.example',
    ]);
    expect(r.options).toEqual(['ndots:2', 'single-request-reopen']);
  });

  it('E6 limits: 33 search domains → 32 + DNSConfigForming; legacy 6/256; 4 nameservers → 3', () => {
    const host = `nameserver 10.0.0.2\nsearch ${Array.from({ length: 30 }, (_, i) => `d${i}.example`).join(' ')}\n`;
    const r = kubeletResolvConf(pod(), { ...kubelet, hostResolvConf: host });
    expect(r.searches).toHaveLength(32);
    expect(r.events[0]).toMatchObject({
      reason: 'DNSConfigForming',
      message: expect.stringMatching(/^Search Line limits were exceeded/),
    });
    expect(
      kubeletResolvConf(pod(), { ...kubelet, hostResolvConf: host, expandedDNSConfig: false }).searches,
    ).toHaveLength(6);
    const four = kubeletResolvConf(pod({ dnsPolicy: 'Default' }), {
      ...kubelet,
      hostResolvConf: 'nameserver 1.1.1.1\nnameserver 2.2.2.2\nnameserver 3.3.3.3\nnameserver 4.4.4.4\n',
    });
    expect(four.nameservers).toEqual(['1.1.1.1', '2.2.2.2', '3.3.3.3']);
    expect(four.events[0].message).toMatch(/^Nameserver limits were exceeded/);
  });

  it('legacy 256-character limit cuts domains from the end', () => {
    const host = `search ${Array.from({ length: 5 }, (_, i) => `${'x'.repeat(60)}${i}.example`).join(' ')}\n`;
    const r = kubeletResolvConf(pod(), { ...kubelet, hostResolvConf: host, expandedDNSConfig: false });
    expect(r.searches.join(' ').length).toBeLessThanOrEqual(256);
    expect(r.searches.slice(0, 3)).toEqual(['app.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
  });

  it('no clusterDNS: MissingClusterDNS event and Default policy', () => {
    const r = kubeletResolvConf(pod(), { ...kubelet, clusterDNS: [] });
    expect(r.effectivePolicy).toBe('Default');
    expect(r.events[0].reason).toBe('MissingClusterDNS');
  });

  it('--resolv-conf="" gives Default pods nameserver 127.0.0.1 and search "."; ClusterFirst only the cluster entries', () => {
    expect(kubeletResolvConf(pod({ dnsPolicy: 'Default' }), { ...kubelet, hostResolvConf: undefined }).text).toBe(
      'nameserver 127.0.0.1\nsearch .\n',
    );
    expect(kubeletResolvConf(pod(), { ...kubelet, hostResolvConf: undefined }).searches).toEqual([
      'app.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
    ]);
  });

  it('kubelet reads the host file its own way: domain ignored, last search/options line wins', () => {
    expect(
      kubeletReadHostFile(
        'domain a.example\nsearch b.example. c.example\nsearch d.example\noptions ndots:2\noptions rotate\nnameserver 1.1.1.1\nnameserver 2.2.2.2 # c\n',
      ),
    ).toEqual({ nameservers: ['1.1.1.1', '2.2.2.2'], searches: ['d.example'], options: ['rotate'] });
  });
});
