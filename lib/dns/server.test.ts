import { describe, expect, it } from 'vitest';
import { answerAt, coreDnsAnswer, type DnsWorld } from '@/lib/dns/server';
import { readCorefile } from '@/lib/dns/coredns-config';
import { parseHostsFile } from '@/lib/dns/hosts-file';
import { labCluster } from '@/testkit/dns-lab/lab-cluster';

const COREFILE = `.:53 {
  rewrite name exact legacy-web.example.com. web.prod.svc.cluster.local.
  hosts {
    10.9.9.9 printer.corp.example.com
    fallthrough
  }
  kubernetes cluster.local in-addr.arpa ip6.arpa {
    pods insecure
    fallthrough in-addr.arpa ip6.arpa
    ttl 30
  }
  forward . 10.0.0.2 {
    except blocked.example.com
  }
}
consul.local:53 {
  forward . 10.150.0.1
}
cluster.local:5353 {
  forward . 10.0.0.9
}
`;
const world = (corefile = COREFILE): DnsWorld => ({
  objects: labCluster('10.96.0.10'),
  servers: readCorefile(corefile).servers,
  upstream: parseHostsFile(
    '192.0.2.80 www.example.com\n10.150.7.7 vault.consul.local\n192.0.2.99 blocked.example.com\n',
  ).value,
  kubeDnsIPs: ['10.96.0.10'],
});

describe('CoreDNS chain', () => {
  it('rewrite name: the rewritten name is answered by the kubernetes plugin', () => {
    const a = coreDnsAnswer(world(), 'legacy-web.example.com.', 'A');
    expect(a).toMatchObject({ rcode: 'NOERROR', via: 'kubernetes', rewrittenTo: 'web.prod.svc.cluster.local.' });
    expect(a.detail).toMatch(/rewritten to web.prod.svc.cluster.local. \(Corefile line 2\)/);
  });

  it('hosts plugin answers its entries, falls through otherwise', () => {
    expect(coreDnsAnswer(world(), 'printer.corp.example.com.', 'A')).toMatchObject({
      rcode: 'NOERROR',
      via: 'hosts',
      answers: [{ data: '10.9.9.9' }],
    });
    expect(coreDnsAnswer(world(), 'printer.corp.example.com.', 'AAAA')).toMatchObject({
      rcode: 'NODATA',
      via: 'hosts',
    });
    expect(coreDnsAnswer(world(), 'www.example.com.', 'A')).toMatchObject({
      rcode: 'NOERROR',
      via: 'forward',
      forwardedTo: ['10.0.0.2'],
    });
  });

  it('hosts without fallthrough answers NXDOMAIN for names it does not have', () => {
    const w = world('.:53 {\n  hosts {\n    10.9.9.9 printer.corp.example.com\n  }\n  forward . 10.0.0.2\n}\n');
    expect(coreDnsAnswer(w, 'www.example.com.', 'A')).toMatchObject({ rcode: 'NXDOMAIN', via: 'hosts' });
  });

  it('stub domain: the longest matching server block wins', () => {
    expect(coreDnsAnswer(world(), 'vault.consul.local.', 'A')).toMatchObject({
      rcode: 'NOERROR',
      via: 'stub-domain',
      forwardedTo: ['10.150.0.1'],
    });
  });

  it('server blocks on another port do not serve queries to :53', () => {
    expect(coreDnsAnswer(world(), 'web.prod.svc.cluster.local.', 'A').via).toBe('kubernetes');
  });

  it('forward except: excluded names get no answer from the chain (SERVFAIL)', () => {
    expect(coreDnsAnswer(world(), 'blocked.example.com.', 'A')).toMatchObject({ rcode: 'SERVFAIL', via: 'none' });
  });

  it('no server block for the zone → REFUSED', () => {
    const w = world('cluster.local:53 {\n  kubernetes cluster.local\n}\n');
    expect(coreDnsAnswer(w, 'www.example.com.', 'A')).toMatchObject({ rcode: 'REFUSED' });
  });

  it('reverse zones fall through to forward (kubeadm fallthrough in-addr.arpa)', () => {
    expect(coreDnsAnswer(world(), '34.12.96.10.in-addr.arpa.', 'A').via).toBe('forward');
  });

  it('a nameserver that is neither kube-dns nor NodeLocal DNSCache answers from upstream knowledge only', () => {
    expect(answerAt(world(), '10.0.0.2', 'web.prod.svc.cluster.local', 'A')).toMatchObject({
      rcode: 'NXDOMAIN',
      via: 'not-cluster-dns',
    });
    expect(answerAt(world(), '10.0.0.2', 'www.example.com', 'A')).toMatchObject({
      rcode: 'NOERROR',
      via: 'not-cluster-dns',
    });
  });

  it('kube-dns without ready endpoints: no response', () => {
    expect(
      answerAt({ ...world(), coreDnsReady: false }, '10.96.0.10', 'web.prod.svc.cluster.local', 'A'),
    ).toMatchObject({ rcode: 'NO_RESPONSE', via: 'unreachable' });
  });
});
