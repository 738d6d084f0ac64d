import { describe, expect, it } from 'vitest';
import { endpointChainName, servicePortHash, servicePortName } from './chain-names';

describe('kube-proxy chain-name hashing (docs/kube-proxy-semantics.md §1.2 reference table)', () => {
  it.each([
    ['ns1', 'svc1', 'XPGD46QRK7WJZT7O'],
    ['ns2', 'svc2', 'GNZBNJ2PO5MGZ6GT'],
    ['ns3', 'svc3', 'X27LE4BHSL4DOUIK'],
    ['ns4', 'svc4', '4SW47YFZTEDKD3PK'],
    ['ns5', 'svc5', 'NUKIZ6OKUXPJNT4C'],
    ['ns6', 'svc6', 'NDY5GL2HU4YWCI7Q'],
  ])('%s/%s:p80 tcp → %s', (ns, name, hash) => {
    expect(servicePortHash(servicePortName(ns, name, 'p80'), 'TCP')).toBe(hash);
  });

  it.each([
    ['ns1', 'svc1', '10.180.0.1', 'SXIVWICOYRO3J4NJ'],
    ['ns2', 'svc2', '10.180.0.2', 'RS4RBKLTHTF2IUXJ'],
    ['ns3', 'svc3', '10.180.0.3', 'OYPFS5VJICHGATKP'],
    ['ns4', 'svc4', '10.180.0.4', 'UKSFD7AGPMPPLUHC'],
    ['ns4', 'svc4', '10.180.0.5', 'C6EBXVWJJZMIWKLZ'],
    ['ns5', 'svc5', '10.180.0.3', 'I77PXRDZVX7PMWMN'],
  ])('SEP %s/%s:p80 %s:80 → %s', (ns, name, ip, hash) => {
    expect(endpointChainName(servicePortName(ns, name, 'p80'), 'tcp', ip, 80)).toBe(`KUBE-SEP-${hash}`);
  });

  it('unnamed ports hash without the ":port" part; kube-dns hashes match a real cluster', () => {
    expect(servicePortName('default', 'kubernetes')).toBe('default/kubernetes');
    // Real kube-proxy v1.20 chains for kube-dns (lab-recipes §5): dns-tcp and dns (udp).
    expect(servicePortHash('kube-system/kube-dns:dns-tcp', 'tcp')).toBe('ERIFXISQEP7F7OF4');
    expect(servicePortHash('kube-system/kube-dns:dns', 'udp')).toBe('TCOU7JCQXEZGVUNU');
  });
});
