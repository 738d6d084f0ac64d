/** A small, realistic report input shared by the report tests, with hostile names and real-looking secrets. */
import { createHash } from 'node:crypto';
import type { ClusterSnapshot, RawCapture } from '@/lib/model/snapshot';
import type { TraceResult } from '@/lib/model/trace';
import { SAMPLE_SECRETS } from '@/testkit/sample-secrets';

export const HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

function capture(command: string, stdout: string): RawCapture {
  return { command, stdout, stderr: '', exitCode: 0, sha256: createHash('sha256').update(stdout).digest('hex') };
}

const rules = [
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  ':KUBE-SERVICES - [0:0]',
  `-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "shop/${HOSTILE}:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-AAAA`,
  'COMMIT',
].join('\n');

export function sampleSnapshot(): ClusterSnapshot {
  return {
    schema: 'kubepath.snapshot/v1',
    cluster: { name: 'lab', context: 'lab-admin', server: `https://admin:${SAMPLE_SECRETS.password}@10.0.0.1:6443` },
    capturedAt: '2026-11-22T00:00:00.000Z',
    nodes: [
      {
        name: 'node-a',
        via: 'ssh root@10.0.0.11:22',
        capturedAt: '2026-11-22T00:00:00.000Z',
        proxyMode: 'iptables',
        captures: { 'iptables-save': capture('iptables-save -c', rules) },
        cniFiles: {
          '/etc/cni/net.d/10-calico.conflist': capture(
            'cat /etc/cni/net.d/10-calico.conflist',
            `{"etcd_key":"${SAMPLE_SECRETS.b64Cert}","token":"${SAMPLE_SECRETS.jwt}"}`,
          ),
        },
      },
      {
        name: 'node-b',
        via: 'ssh root@10.0.0.12:22',
        capturedAt: '2026-11-22T00:00:00.000Z',
        captures: {},
        error: { kind: 'unreachable', message: 'connect ECONNREFUSED 10.0.0.12:22' },
      },
    ],
  };
}

export function sampleTrace(): TraceResult {
  const svc = `shop/${HOSTILE}:http`;
  const enter = {
    table: 'nat',
    chain: 'PREROUTING',
    line: 0,
    raw: '',
    effect: 'enter' as const,
    why: 'packet arrives from a pod',
  };
  const jump = {
    table: 'nat',
    chain: 'KUBE-SERVICES',
    line: 4,
    raw: rules.split('\n')[3],
    effect: 'jump' as const,
    why: `destination 10.96.0.20:80/tcp is ${svc} cluster IP`,
    label: { role: 'services', service: svc },
  };
  const mk = (ip: string, p: number, masq: boolean) => ({
    verdict: 'dnat' as const,
    to: `${ip}:8080`,
    probability: p,
    masquerade: masq,
    assumptions: [],
    endpoint: { service: svc, ip, port: 8080 },
    steps: [
      enter,
      jump,
      {
        table: 'nat',
        chain: 'KUBE-SEP-X',
        line: 9,
        raw: `-A KUBE-SEP-X -p tcp -j DNAT --to-destination ${ip}:8080`,
        effect: 'dnat' as const,
        why: `DNAT to ${ip}:8080 token: ${SAMPLE_SECRETS.staticToken}`,
      },
    ],
  });
  return {
    packet: { src: '10.244.1.2', dst: '10.96.0.20', port: 80, proto: 'tcp' },
    node: 'node-a',
    mode: 'iptables',
    outcomes: [
      mk('10.244.1.5', 0.5, false),
      mk('10.244.1.2', 0.5, true),
      {
        verdict: 'drop',
        to: null,
        probability: 0,
        masquerade: false,
        steps: [enter],
        assumptions: ['match "physdev" not evaluated'],
      },
    ],
    notes: ['Traced a NEW connection.'],
    warnings: [],
  };
}
