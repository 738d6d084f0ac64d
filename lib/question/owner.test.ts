import { describe, expect, it } from 'vitest';
import { ownerOf, ruleName } from './owner';

describe('ownerOf: whose rule, from the chain and the comment', () => {
  it.each([
    ['filter', 'FORWARD', 'host-firewall: block api metrics', 'host-firewall'],
    ['filter', 'FORWARD', undefined, 'host-firewall'],
    ['filter', 'FORWARD', 'kubernetes forwarding rules', 'kube-proxy'],
    ['filter', 'KUBE-FORWARD', undefined, 'kube-proxy'],
    ['nat', 'KUBE-SEP-SZADD5DMSZ45TDC6', 'default/fanout:http', 'kube-proxy'],
    ['filter', 'KUBE-FIREWALL', 'kubernetes firewall for dropping marked packets', 'kubelet'],
    ['nat', 'KUBE-MARK-DROP', undefined, 'kubelet'],
    ['filter', 'cali-fw-cali1234', undefined, 'cni'],
    ['filter', 'CNI-FORWARD', undefined, 'cni'],
    ['filter', 'ANTREA-POL-X', undefined, 'cni'],
    ['ip6tables filter', 'ufw6-user-input', undefined, 'host-firewall'],
    ['mangle', 'PREROUTING', undefined, 'host-firewall'],
    ['nat', 'MY-REDIRECTS', undefined, 'unknown'],
    ['ip kube-proxy', 'service-ULMVA6XW-ns1/svc1/tcp/p80', undefined, 'kube-proxy'],
    ['inet firewalld', 'filter_FORWARD', undefined, 'host-firewall'],
    ['inet filter', 'forward', undefined, 'host-firewall'],
    ['ip calico', 'cali-fw', undefined, 'cni'],
  ])('%s %s (%s) → %s', (table, chain, comment, owner) => {
    expect(ownerOf(table, chain, comment)).toBe(owner);
  });

  it('a rule name drops a leading host-firewall tag', () => {
    expect(ruleName('host-firewall: block api metrics')).toBe('block api metrics');
    expect(ruleName('default/web:http cluster IP')).toBe('default/web:http cluster IP');
    expect(ruleName(undefined)).toBeUndefined();
  });
});
