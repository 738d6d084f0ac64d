import { describe, expect, it } from 'vitest';
import { parseCorefile, parseServerKey } from '@/lib/parse/corefile';
import { ParseError } from '@/lib/parse/parse-result';
import { readCorefile, KUBEADM_DEFAULT_COREFILE, applyRewrite } from '@/lib/dns/coredns-config';

const STUB = `# custom
.:53 {
    errors
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods verified
       fallthrough in-addr.arpa ip6.arpa
       ttl 10
       endpoint_pod_names
    }
    rewrite name exact legacy.example.com. web.prod.svc.cluster.local.
    hosts {
       10.9.9.9 printer.corp.example.com
       fallthrough
    }
    autopath @kubernetes
    forward . 10.0.0.2 10.0.0.3 {
       except internal.example.com
       policy sequential
       force_tcp
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
}
consul.local:53 {
    errors
    cache 30
    forward . "10.150.0.1"
}
dns://corp.example.com:5353, tls://secure.example.com {
    forward . 10.0.0.2
}
`;

describe('Corefile > structure', () => {
  it('parses server blocks, keys, nested blocks, line numbers', () => {
    const r = parseCorefile(STUB);
    expect(r.issues).toEqual([]);
    expect(r.value.map((b) => [b.keys, b.line])).toEqual([
      [['.:53'], 2],
      [['consul.local:53'], 27],
      [['dns://corp.example.com:5353', 'tls://secure.example.com'], 32],
    ]);
    const k = r.value[0].directives.find((d) => d.name === 'kubernetes')!;
    expect(k).toMatchObject({
      args: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
      line: 4,
      raw: 'kubernetes cluster.local in-addr.arpa ip6.arpa {',
    });
    expect(k.block?.map((d) => d.name)).toEqual(['pods', 'fallthrough', 'ttl', 'endpoint_pod_names']);
    expect(r.value[1].directives[2].args).toEqual(['.', '10.150.0.1']); // quotes removed
  });

  it('server keys: zone, port and transport', () => {
    expect(parseServerKey('.:53')).toEqual({ zone: '.', port: 53, transport: 'dns' });
    expect(parseServerKey('Cluster.Local')).toEqual({ zone: 'cluster.local.', port: 53, transport: 'dns' });
    expect(parseServerKey('tls://secure.example.com')).toEqual({
      zone: 'secure.example.com.',
      port: 853,
      transport: 'tls',
    });
    expect(parseServerKey('x:99999')).toBeUndefined();
  });

  it('unclosed block is an issue with the line, strict mode throws', () => {
    const text = '.:53 {\n  forward . 1.1.1.1 {\n    policy random\n}\n';
    expect(parseCorefile(text).issues[0]).toMatchObject({ line: 1, reason: expect.stringMatching(/never closed/) });
    expect(() => parseCorefile(text, { strict: true })).toThrow(ParseError);
  });

  it('keys without a body are reported', () => {
    expect(parseCorefile('.:53\n').issues[0].reason).toMatch(/without a \{/);
  });
});

describe('Corefile > plugin meaning', () => {
  it('kubeadm default', () => {
    const { servers, issues } = readCorefile(KUBEADM_DEFAULT_COREFILE);
    expect(issues).toEqual([]);
    expect(servers).toHaveLength(1);
    expect(servers[0].kubernetes).toMatchObject({
      zones: ['cluster.local.', 'in-addr.arpa.', 'ip6.arpa.'],
      pods: 'insecure',
      ttl: 30,
      fallthrough: ['in-addr.arpa.', 'ip6.arpa.'],
    });
    expect(servers[0].forward).toMatchObject({ from: '.', to: ['/etc/resolv.conf'] });
    expect(servers[0].loop).toBe(true);
    expect(servers[0].cache?.ttl).toBe(30);
  });

  it('options of kubernetes, forward, hosts, rewrite, cache, autopath', () => {
    const { servers, issues } = readCorefile(STUB);
    expect(issues).toEqual([]);
    const s = servers[0];
    expect(s.kubernetes).toMatchObject({ pods: 'verified', ttl: 10, endpointPodNames: true });
    expect(s.forward).toMatchObject({
      to: ['10.0.0.2', '10.0.0.3'],
      except: ['internal.example.com.'],
      policy: 'sequential',
      forceTcp: true,
      line: 16,
    });
    expect(s.hosts?.inline.get('printer.corp.example.com.')?.v4).toEqual(['10.9.9.9']);
    expect(s.hosts?.fallthrough).toEqual([]);
    expect(s.rewrite[0]).toMatchObject({
      match: 'exact',
      from: 'legacy.example.com.',
      to: 'web.prod.svc.cluster.local.',
    });
    expect(s.cache?.disabledFor).toEqual(['cluster.local.', 'cluster.local.']);
    expect(s.autopath).toEqual({ target: '@kubernetes', line: 15 });
    expect(servers[1]).toMatchObject({ zones: ['consul.local.'], forward: { to: ['10.150.0.1'] } });
    expect(servers[2]).toMatchObject({ zones: ['corp.example.com.', 'secure.example.com.'], port: 5353 });
  });

  it('unknown plugins and unmodelled rewrites are reported, not dropped', () => {
    const { issues } = readCorefile(
      '.:53 {\n  template IN A example.org {\n    answer "x"\n  }\n  rewrite edns0 local set 0xffee abc\n  kubernetes cluster.local {\n    pods sometimes\n  }\n}\n',
    );
    expect(issues.map((i) => [i.line, i.severity])).toEqual([
      [2, 'warning'],
      [5, 'warning'],
      [7, 'error'],
    ]);
  });

  it('rewrite name: exact, suffix, regex', () => {
    const rules = readCorefile(
      '.:53 {\n rewrite name suffix .corp.internal .corp.example.com\n rewrite name regex (.*)\\.old\\.example\\. {1}.new.example.\n}\n',
    ).servers[0].rewrite;
    expect(applyRewrite('db.corp.internal.', rules).name).toBe('db.corp.example.com.');
    expect(applyRewrite('a.old.example.', rules).name).toBe('a.new.example.');
    expect(applyRewrite('other.example.', rules)).toEqual({ name: 'other.example.' });
  });
});
