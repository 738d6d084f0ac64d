import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REDACTED, parseRedactionList, redactDeep, redactText } from './redact';
import { SAMPLE_SECRETS } from '../../testkit/sample-secrets';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '__fixtures__', name), 'utf8');

describe('redactText', () => {
  it('removes the service-account token and CA data from the real Calico kubeconfig in seed 003', () => {
    const text = fixture('calico-kubeconfig.seed003.yaml');
    const out = redactText(text);
    expect(out).not.toMatch(/eyJhbGci/);
    expect(out).not.toMatch(/LS0tLS1CRUdJTi/);
    expect(out).toContain('token: [redacted]');
    expect(out).toContain('certificate-authority-data: [redacted]');
    // context stays readable
    expect(out).toContain('server: https://[10.200.0.1]:443');
    expect(out).toContain('current-context: calico-context');
  });

  it.each([
    ['kubeconfig client key', `client-key-data: ${SAMPLE_SECRETS.b64Cert}`, SAMPLE_SECRETS.b64Cert],
    ['PEM private key', `key:\n${SAMPLE_SECRETS.pemKey}\n`, 'MIIEowIBAAKCAQEAu1SU1'],
    ['JWT anywhere', `note ${SAMPLE_SECRETS.jwt} end`, SAMPLE_SECRETS.jwt],
    [
      '--token flag',
      `/usr/local/bin/kube-proxy --token=${SAMPLE_SECRETS.staticToken} --v=2`,
      SAMPLE_SECRETS.staticToken,
    ],
    ['--password flag with space', `etcdctl --password ${SAMPLE_SECRETS.password}`, SAMPLE_SECRETS.password],
    ['JSON password', `{"user":"a","password":"${SAMPLE_SECRETS.password}"}`, SAMPLE_SECRETS.password],
    ['URL credentials', `https://admin:${SAMPLE_SECRETS.password}@10.0.0.1:6443/`, SAMPLE_SECRETS.password],
    ['Bearer header', `Authorization: Bearer ${SAMPLE_SECRETS.staticToken}`, SAMPLE_SECRETS.staticToken],
    ['calico etcd_key inline', `"etcd_key": "${SAMPLE_SECRETS.b64Cert}"`, SAMPLE_SECRETS.b64Cert],
  ])('%s', (_name, input, secret) => {
    const out = redactText(input);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('leaves iptables rules, paths and empty values alone', () => {
    const rules = [
      '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU',
      '-A KUBE-SEP-X -p tcp -m comment --comment "default/token-service:https" -m tcp -j DNAT --to-destination 10.244.1.2:8443',
      '"kubeconfig": "/etc/cni/net.d/calico-kubeconfig"',
      'token: ""',
      'token: /var/run/secrets/token',
    ].join('\n');
    expect(redactText(rules)).toBe(rules);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...Object.values(SAMPLE_SECRETS)), (noise, secret) => {
        const once = redactText(`${noise} token: ${secret} ${noise}`);
        expect(redactText(once)).toBe(once);
        expect(once).not.toContain(secret);
      }),
    );
  });

  it('applies a user-defined list of literals and /regex/ patterns', () => {
    const rules = parseRedactionList('# ours\nprod-db.internal\n/acct-[0-9]{6}/\n');
    const out = redactText('connect prod-db.internal for acct-123456', rules);
    expect(out).toBe(`connect ${REDACTED} for ${REDACTED}`);
  });

  it('ignores an invalid user regex instead of failing the export', () => {
    expect(redactText('a(b', { patterns: ['('] })).toBe('a(b');
  });
});

describe('redactDeep', () => {
  it('redacts nested strings and keeps structure', () => {
    const input = { a: [`token: ${SAMPLE_SECRETS.staticToken}`], b: { c: SAMPLE_SECRETS.jwt, n: 3 } };
    const out = redactDeep(input);
    expect(JSON.stringify(out)).not.toContain(SAMPLE_SECRETS.staticToken);
    expect(JSON.stringify(out)).not.toContain(SAMPLE_SECRETS.jwt);
    expect(out.b.n).toBe(3);
  });
});
