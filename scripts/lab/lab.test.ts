/**
 * Smoke test of the real-cluster lab: real apiserver + controller-manager v1.20.2, real kube-proxy in
 * node namespaces, real sshd, real dnsmasq, glibc's resolver. Needs root and the k8s binaries
 * (scripts/lab/build-k8s.sh); skipped with the reason otherwise. Runs as root in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import {
  deletePod,
  execIn,
  execInPod,
  findPod,
  kubectl,
  labUnavailableReason,
  startLab,
  stopLab,
  waitForRules,
} from '@/testkit/lab/cluster';
import type { LabInfo } from '@/testkit/lab/cluster';
import { run } from '@/testkit/lab/lab-exec';

const unavailable = labUnavailableReason();
if (unavailable) console.warn(`[lab.test] skipped: ${unavailable}`);

/** KUBE-SEP targets of the KUBE-SVC chain kube-proxy wrote for "<ns>/<svc>:<port>". */
function endpointsInRules(save: string, svcPort: string): string[] {
  const svcChain = save.match(new RegExp(`-A KUBE-SERVICES .*"${svcPort} cluster IP".* -j (KUBE-SVC-\\w+)`))?.[1];
  if (!svcChain) return [];
  const seps = [...save.matchAll(new RegExp(`^-A ${svcChain} .*-j (KUBE-SEP-\\w+)`, 'gm'))].map((m) => m[1]);
  return seps.map((sep) => save.match(new RegExp(`^-A ${sep} .*--to-destination (\\S+)`, 'm'))?.[1] ?? '?').sort();
}

describe.skipIf(unavailable !== null)('lab > real cluster in network namespaces', () => {
  let lab: LabInfo;
  let stopped = false;

  beforeAll(async () => {
    lab = await startLab({ stopWhenProcessExits: true, onLog: (l) => process.env.LAB_VERBOSE && console.log(l) });
  }, 240_000);

  afterAll(async () => {
    if (lab && !stopped) await stopLab(lab);
  }, 60_000);

  it('kube-proxy on every node wrote KUBE-SVC chains from the API objects', async () => {
    for (const node of lab.nodes) {
      const save = (await execIn(node.netns, ['iptables-save'])).stdout;
      expect(endpointsInRules(save, 'default/web:http'), node.name).toEqual([
        '10.244.1.2:8080',
        '10.244.1.3:8080',
        '10.244.2.2:8080',
      ]);
      expect(endpointsInRules(save, 'kube-system/kube-dns:dns'), node.name).toEqual(['10.244.2.10:53']);
      expect(endpointsInRules(save, 'default/api:http'), node.name).toEqual(['10.244.2.3:8080']);
      // A Service with no endpoints: kube-proxy 1.20 REJECTs it in filter KUBE-SERVICES.
      expect(save).toMatch(
        /-A KUBE-SERVICES -d 10\.96\.0\.109\/32 .*"default\/no-endpoints:http has no endpoints".* -j REJECT/,
      );
    }
  });

  it('ETP=Local: node-2, which has no local endpoint for local-only, drops its external traffic', async () => {
    const node2 = await execIn(lab.nodes.find((n) => n.name === 'node-2')!.netns, ['iptables-save', '-t', 'nat']);
    expect(node2.stdout).toMatch(
      /-A KUBE-XLB-\w+ .*"default\/local-only:http has no local endpoints" -j KUBE-MARK-DROP/,
    );
    const node1 = await execIn(lab.nodes.find((n) => n.name === 'node-1')!.netns, ['iptables-save', '-t', 'nat']);
    expect(node1.stdout).not.toContain('default/local-only:http has no local endpoints');
  });

  it('a pod reaches a ClusterIP through the real rules and an endpoint pod answers', async () => {
    const one = await execInPod(lab, 'client', ['curl', '-sS', '-m', '3', 'http://10.96.0.101/']);
    // api-1 sits on node-2: DNAT on node-1, routed across the underlay; pod sources are not masqueraded.
    expect(one.stdout).toBe('api-1 port=8080 from=10.244.1.5\n');
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const r = await execInPod(lab, 'client', ['curl', '-sS', '-m', '3', 'http://10.96.0.100/']);
      seen.add(r.stdout.split(' ')[0]);
    }
    expect([...seen].every((p) => ['web-1', 'web-2', 'web-3'].includes(p))).toBe(true);
    expect(seen.size).toBeGreaterThan(1); // 30 random picks of 3: all-same has probability 3^-29
  });

  it('UDP reaches an endpoint through the multi-port Service; a NodePort answers a client outside the cluster', async () => {
    const udp = await execInPod(lab, 'client', [
      'node',
      '-e',
      `const s = require('dgram').createSocket('udp4');
      s.on('message', (m) => { process.stdout.write(m); process.exit(0); });
      s.send('ping', 9000, '10.96.0.102'); setTimeout(() => process.exit(3), 3000);`,
    ]);
    expect(udp.stdout).toMatch(/^web-[123] udp=9000 from=10\.244\.1\.5\n$/);
    const nodePort = await execIn(lab.underlay.gatewayNetns, [
      'curl',
      '-sS',
      '-m',
      '3',
      `http://${lab.nodes[0].underlayIP}:30080/`,
    ]);
    expect(nodePort.stdout).toMatch(/^web-[123] port=8080 from=/);
    // External traffic to a NodePort is masqueraded (KUBE-MARK-MASQ), so the pod never sees the ext address.
    expect(nodePort.stdout).not.toContain(`from=${lab.underlay.gatewayIP}`);
  });

  it('the host firewall on node-2 drops api-1:9090 before kube-proxy accepts it', async () => {
    const blocked = await execInPod(lab, 'client', ['curl', '-sS', '-m', '2', 'http://10.96.0.110:9090/']);
    expect(blocked.code).not.toBe(0);
    const open = await execInPod(lab, 'client', ['curl', '-sS', '-m', '3', 'http://10.96.0.101:80/']);
    expect(open.stdout).toContain('api-1');
  });

  it("pods see kubelet's resolv.conf at /proc/<pid>/root/etc/resolv.conf", () => {
    const client = findPod(lab, 'client');
    expect(readFileSync(`/proc/${client.pid}/root/etc/resolv.conf`, 'utf8')).toBe(
      `search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${lab.dns.serviceIP}\noptions ndots:5\n`,
    );
    const cart = findPod(lab, 'shop/cart-1');
    expect(readFileSync(`/proc/${cart.pid}/root/etc/resolv.conf`, 'utf8')).toMatch(
      /^search shop\.svc\.cluster\.local /,
    );
    // The host's own /etc/resolv.conf is untouched by the pods' private bind mounts.
    expect(readFileSync('/etc/resolv.conf', 'utf8')).not.toContain('svc.cluster.local');
  });

  it('glibc in a pod resolves Service names through the kube-dns ClusterIP', async () => {
    const web = await execInPod(lab, 'client', ['getent', 'hosts', 'web']);
    expect(web.stdout.trim()).toBe('10.96.0.100     web.default.svc.cluster.local');
    const cart = await execInPod(lab, 'client', ['getent', 'hosts', 'cart.shop']);
    expect(cart.stdout.trim()).toBe('10.96.0.120     cart.shop.svc.cluster.local');
    const upstream = await execInPod(lab, 'client', ['getent', 'hosts', 'example.com']);
    expect(upstream.stdout.trim()).toBe('203.0.113.80    example.com');
    // The query went through the cluster DNS pod (dnsmasq logs it with the client's pod IP).
    expect(readFileSync(lab.dns.queryLog, 'utf8')).toMatch(
      /query\[A\] web\.default\.svc\.cluster\.local from 10\.244\.1\.5/,
    );
    // The misconfigured pod (dnsPolicy Default -> upstream resolver) cannot resolve cluster names.
    const legacy = await execInPod(lab, 'legacy-client', ['getent', 'hosts', 'web']);
    expect(legacy.code).toBe(2);
  });

  it('SSH reaches each node as itself with the lab identity and known_hosts', async () => {
    for (const node of lab.nodes) {
      const r = await run(
        [
          'ssh',
          '-i',
          lab.identityFile,
          '-o',
          `UserKnownHostsFile=${lab.knownHostsFile}`,
          '-o',
          'StrictHostKeyChecking=yes',
          '-o',
          'BatchMode=yes',
          '-p',
          String(node.sshPort),
          `${node.sshUser}@${node.sshHost}`,
          'hostname; iptables-save -t nat | grep -c KUBE-SVC-',
        ],
        { timeoutMs: 15_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      const [host, count] = r.stdout.trim().split('\n');
      expect(host).toBe(node.name);
      expect(Number(count)).toBeGreaterThan(10);
    }
    // The generated ssh config names hosts by Node name.
    const viaConfig = await run(
      ['ssh', '-F', `${lab.runDir}/ssh/config`, '-o', 'BatchMode=yes', 'node-2', 'hostname'],
      { timeoutMs: 15_000 },
    );
    expect(viaConfig.stdout.trim()).toBe('node-2');
  });

  it('the API shows the pods Ready and the endpoints the controllers built', async () => {
    const r = await kubectl(lab, ['get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].addresses[*].ip}']);
    expect(r.stdout.split(' ').sort()).toEqual(['10.244.1.2', '10.244.1.3', '10.244.2.2']);
  });

  it('startLab() hands out a running lab named by KUBEPATH_LAB_INFO, and stopLab() leaves it running', async () => {
    process.env.KUBEPATH_LAB_INFO = `${lab.runDir}/lab.json`;
    try {
      const shared = await startLab();
      expect(shared.reused).toBe(true);
      expect(shared.prefix).toBe(lab.prefix);
      await stopLab(shared);
      expect((await run(['ip', 'netns', 'list'])).stdout).toContain(`${lab.prefix}-node-1`);
    } finally {
      delete process.env.KUBEPATH_LAB_INFO;
    }
  });

  it('deleting a pod removes its endpoint from the rules on every node', async () => {
    await deletePod(lab, 'web-3');
    for (const node of lab.nodes) {
      const save = await waitForRules(lab, node.name, (s) => !s.includes('10.244.2.2:8080'), {
        table: 'nat',
        timeoutMs: 20_000,
      });
      expect(endpointsInRules(save, 'default/web:http')).toEqual(['10.244.1.2:8080', '10.244.1.3:8080']);
    }
  });

  it('teardown leaves no namespaces, processes, root veth or run dir behind', async () => {
    const pids = [
      ...Object.values(lab.processes),
      ...lab.pods.map((p) => p.pid),
      ...lab.nodes.flatMap((n) => [n.kubeProxyPid, n.sshdPid]),
    ];
    await stopLab(lab);
    stopped = true;
    const netns = (await run(['ip', 'netns', 'list'])).stdout;
    expect(netns.split('\n').filter((l) => l.startsWith(`${lab.prefix}-`))).toEqual([]);
    expect(
      pids.filter(
        (pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/status`, 'utf8').includes('State:\tZ'),
      ),
    ).toEqual([]);
    expect((await run(['ip', 'link', 'show', lab.underlay.rootLink])).code).not.toBe(0);
    expect(existsSync(lab.runDir)).toBe(false);
  }, 60_000);
});
