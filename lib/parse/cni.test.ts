import { describe, expect, it } from 'vitest';
import { parseCni } from '@/lib/parse/cni';
import { ParseError } from '@/lib/parse/parse-result';
import { readFixture } from '@/testkit/parser-fixtures';
import { assertHugeLineHandled, assertRobust } from '@/testkit/parser-fuzz';

const load = (f: string) => parseCni(readFixture('cni', f), { file: f });

describe('parseCni', () => {
  it('reads the real Calico conflist from seed 003 (annotations removed)', () => {
    const { value, issues } = load('10-calico.conflist');
    expect(issues).toEqual([]);
    expect(value).toMatchObject({
      file: '10-calico.conflist',
      name: 'k8s-pod-network',
      cniVersion: '0.3.1',
      subnets: [],
    });
    expect(value.plugins.map((p) => p.type)).toEqual(['calico', 'portmap', 'bandwidth']);
    // a kubeconfig *path* is not a secret and stays visible
    expect(value.plugins[0].settings.kubernetes).toEqual({ kubeconfig: '/etc/cni/net.d/calico-kubeconfig' });
    expect(value.plugins[1].settings).toEqual({ snat: true, capabilities: { portMappings: true } });
  });

  it('redacts inline etcd key/cert and tokens, keeps file paths, never echoes the secret in issues', () => {
    const text = readFixture('cni', '10-calico-etcd.conflist');
    const res = parseCni(text, { file: 'x' });
    const s = res.value.plugins[0].settings;
    expect(s.etcd_key).toBe('[redacted]');
    expect(s.etcd_cert).toBe('[redacted]');
    expect((s.policy as Record<string, unknown>).k8s_auth_token).toBe('[redacted]');
    expect(s.etcd_key_file).toBe('/etc/cni/net.d/calico-tls/etcd-key');
    expect(s.etcd_ca_cert_file).toBe('/etc/cni/net.d/calico-tls/etcd-ca');
    expect(res.value.subnets).toEqual(['192.168.0.0/16']); // calico-ipam ipv4_pools
    expect(res.issues.map((i) => [i.line, i.severity])).toEqual([
      [12, 'warning'],
      [13, 'warning'],
      [23, 'warning'],
    ]);
    const everything = JSON.stringify(res);
    for (const secret of ['BEGIN RSA PRIVATE KEY', 'MIIEowIBAAKCAQEA', 'LS0tLS1CRUdJTi', 'eyJhbGciOiJSUzI1NiIs']) {
      expect(text).toContain(secret);
      expect(everything).not.toContain(secret);
    }
  });

  it('redacts a token inside an inline kubeconfig under an innocent key', () => {
    const conf = JSON.stringify({
      name: 'n',
      cniVersion: '0.4.0',
      plugins: [
        {
          type: 'multus',
          kubeconfig_data:
            'apiVersion: v1\nusers:\n- name: x\n  user:\n    token: abcdefghijklmnopqrstuvwxyz0123456789\n',
        },
      ],
    });
    const res = parseCni(conf);
    expect(JSON.stringify(res)).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
    expect(res.value.plugins[0].settings.kubeconfig_data).toContain('token: [redacted]');
  });

  it('collects host-local ranges (v4 and v6) from a bridge chain', () => {
    const { value, issues } = load('10-bridge.conflist');
    expect(issues).toEqual([]);
    expect(value.subnets).toEqual(['10.244.1.0/24', 'fd00:10:244:1::/64']);
    expect(value.plugins.map((p) => p.type)).toEqual(['bridge', 'portmap', 'firewall']);
  });

  it('flannel has no subnet in the CNI file', () => {
    const { value, issues } = load('10-flannel.conflist');
    expect(issues).toEqual([]);
    expect(value.subnets).toEqual([]);
    expect(value.plugins[0].settings.delegate).toEqual({ hairpinMode: true, isDefaultGateway: true });
  });

  it('cilium chaining keeps the whole chain in order and explains usePodCidr', () => {
    const { value, issues } = load('05-cilium-chained.conflist');
    expect(value.plugins.map((p) => p.type)).toEqual(['calico', 'portmap', 'cilium-cni']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 10, severity: 'warning' });
    expect(issues[0].reason).toMatch(/usePodCidr.*podCIDR/);
  });

  it('reads a single-plugin .conf', () => {
    const { value, issues } = parseCni(readFixture('cni', '99-containerd-bridge.conf'), {
      file: '99-containerd-bridge.conf',
    });
    expect(issues).toEqual([]);
    expect(value).toMatchObject({ name: 'mynet', cniVersion: '0.2.0', subnets: ['10.22.0.0/16'] });
    expect(value.plugins).toHaveLength(1);
    expect(value.plugins[0].type).toBe('bridge');
    expect(value.plugins[0].settings).not.toHaveProperty('name');
    expect(value.plugins[0].settings.bridge).toBe('cni0');
  });
});

describe('parseCni bad input', () => {
  it('bad JSON → ParseError (strict) with line and column, issue (lenient)', () => {
    const bad = '{\n  "name": "x",\n  "plugins": [\n    { "type": "bridge", }\n  ]\n}';
    const res = parseCni(bad, { file: '10-bad.conflist' });
    expect(res.issues).toHaveLength(1);
    expect(res.issues[0].line).toBe(4);
    expect(res.issues[0].reason).toMatch(/line 4 column 25/);
    try {
      parseCni(bad, { file: '10-bad.conflist', strict: true });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).message).toMatch(/^cni 10-bad.conflist: line 4:/);
    }
  });

  it('a JSON error on a line holding a secret does not leak it', () => {
    const bad = '{\n  "name": "x",\n  "plugins": [{ "type": "calico", "etcd_key": "SECRETSECRETSECRET" oops }]\n}';
    expect(JSON.stringify(parseCni(bad))).not.toContain('SECRETSECRETSECRET');
  });

  it('flags missing name, plugins and plugin type', () => {
    expect(parseCni('{"cniVersion": "1.0.0"}').issues.map((i) => i.reason)).toEqual([
      'CNI config has no string "name"',
      'CNI config has neither a "plugins" list nor a plugin "type"',
    ]);
    expect(parseCni('{"name": "n", "plugins": [{"ipam": {}}]}').issues[0].reason).toBe(
      'plugin entry without a string "type"',
    );
    expect(parseCni('[1, 2]').issues[0].reason).toBe('CNI config must be a JSON object');
  });

  it('survives random mutations', () => {
    assertRobust(
      parseCni,
      ['10-calico.conflist', '10-bridge.conflist', '10-calico-etcd.conflist'].map((f) => readFixture('cni', f)),
    );
  });
  it('handles a 100 MB line', () => assertHugeLineHandled(parseCni, '{"name": "'));
});
