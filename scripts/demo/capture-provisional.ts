/**
 * Builds the demo cluster (scripts/demo/demo-cluster.ts) out of real network namespaces, loads the
 * kube-proxy-shaped rules with the real iptables-restore, and reads everything back with the real
 * tools (`iptables-save -c`, `ip -j addr`, `ip -j route`, `cat`) into a ClusterSnapshot at
 * demo/provisional-snapshot.json. Run as root: `npx tsx scripts/demo/capture-provisional.ts [out.json]`.
 * Every namespace carries a random `kp<hex>-` prefix and is deleted on exit.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SNAPSHOT_SCHEMA } from '@/lib/model/snapshot';
import type { ClusterSnapshot, NodeCapture, RawCapture, PodNetnsCapture } from '@/lib/model/snapshot';
import type { ApiObjects } from '@/lib/model/k8s';
import { buildKubeRules } from '@/testkit/kube-proxy-writer/iptables';
import { servicePortsFromApi } from '@/testkit/kube-proxy-writer/from-api';
import { demoApi, demoNodes, clusterCidr, staleEndpoints, type DemoNode } from './demo-cluster';

const prefix = `kp${randomBytes(2).toString('hex')}-`;
const created: string[] = [];
const holders: ChildProcess[] = [];
const work = mkdtempSync(path.join(tmpdir(), prefix));

function sh(args: string[], input?: string): string {
  return execFileSync(args[0], args.slice(1), { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
function nsAdd(name: string): string {
  const full = prefix + name;
  sh(['ip', 'netns', 'add', full]);
  created.push(full);
  sh(['ip', '-n', full, 'link', 'set', 'lo', 'up']);
  return full;
}
/** Runs a command and records it verbatim as a RawCapture (what an agent would send back). */
function capture(ns: string | null, cmd: string[], shown = cmd.join(' ')): RawCapture {
  const full = ns ? ['ip', 'netns', 'exec', ns, ...cmd] : cmd;
  const t0 = performance.now();
  const r = spawnSync(full[0], full.slice(1), { encoding: 'utf8' });
  return {
    command: shown,
    stdout: r.stdout,
    stderr: r.stderr,
    exitCode: r.status,
    sha256: createHash('sha256').update(r.stdout).digest('hex'),
    durationMs: Math.round(performance.now() - t0),
  };
}
function cleanup(): void {
  for (const h of holders) h.kill();
  for (const ns of created.reverse()) spawnSync('ip', ['netns', 'del', ns]);
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

/** The API as a stale kube-proxy on this node still sees it: the listed Services keep old endpoint IPs. */
function apiSeenBy(node: string): ApiObjects {
  const stale = staleEndpoints[node] ?? {};
  const endpointSlices = demoApi.endpointSlices.map((es) => {
    const ips = stale[`${es.namespace}/${es.service}`];
    return ips
      ? { ...es, endpoints: ips.map((ip) => ({ addresses: [ip], ready: true, serving: true, terminating: false })) }
      : es;
  });
  return { ...demoApi, endpointSlices };
}

/** What kube-proxy on `n` writes (testkit/kube-proxy-writer), fed to the real iptables-restore. */
function nodeRules(n: DemoNode): string {
  return buildKubeRules(servicePortsFromApi(apiSeenBy(n.name)), {
    nodeName: n.name,
    nodeIPs: [n.ip],
    podCIDR: clusterCidr,
  });
}

const vethName = (pod: string) => `cali${createHash('sha1').update(pod).digest('hex').slice(0, 11)}`;

function main(out: string): void {
  if (process.getuid?.() !== 0) throw new Error('capture-provisional needs root (network namespaces)');
  const net = nsAdd('net');
  sh(['ip', '-n', net, 'link', 'add', 'br0', 'type', 'bridge']);
  sh(['ip', '-n', net, 'link', 'set', 'br0', 'up']);
  const nodes: NodeCapture[] = [];
  const nsOf: Record<string, string> = {};
  for (const [i, n] of demoNodes.entries()) {
    if (!n.reachable) continue;
    const ns = nsAdd(n.name);
    nsOf[n.name] = ns;
    sh(['ip', 'link', 'add', `up${i}`, 'netns', net, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    sh(['ip', '-n', net, 'link', 'set', `up${i}`, 'master', 'br0', 'up']);
    sh(['ip', '-n', ns, 'addr', 'add', `${n.ip}/24`, 'dev', 'eth0']);
    sh(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
    sh(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    sh(['ip', '-n', ns, 'route', 'add', 'default', 'via', '192.168.50.1']);
    // Calico-style: the node owns a blackhole for its own block and host-gw routes to the others.
    sh(['ip', '-n', ns, 'route', 'add', 'blackhole', n.podCidr, 'proto', 'bird']);
    for (const peer of demoNodes)
      if (peer !== n)
        sh(['ip', '-n', ns, 'route', 'add', peer.podCidr, 'via', peer.ip, 'dev', 'eth0', 'proto', 'bird', 'onlink']);
  }
  for (const n of demoNodes) {
    const ns = nsOf[n.name];
    if (!ns) {
      // The unreachable node: a real connection attempt from node-a to an address nobody holds.
      const probe = capture(nsOf[demoNodes[0].name], [
        'ssh',
        '-o',
        'ConnectTimeout=3',
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=no',
        `root@${n.ip}`,
        'true',
      ]);
      nodes.push({
        name: n.name,
        via: `ssh root@${n.ip}:22`,
        capturedAt: new Date().toISOString(),
        captures: {},
        error: { kind: 'unreachable', message: probe.stderr.trim() || `ssh exited ${probe.exitCode}` },
      });
      continue;
    }
    const pods: PodNetnsCapture[] = [];
    for (const p of demoApi.pods.filter((x) => x.nodeName === n.name)) {
      const pns = nsAdd(`p${pods.length}-${n.name}`);
      const veth = vethName(`${p.namespace}/${p.name}`);
      sh(['ip', 'link', 'add', veth, 'netns', ns, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pns]);
      sh(['ip', '-n', ns, 'link', 'set', veth, 'up']);
      sh(['ip', '-n', ns, 'route', 'add', `${p.podIPs[0]}/32`, 'dev', veth, 'scope', 'link']);
      sh(['ip', '-n', pns, 'addr', 'add', `${p.podIPs[0]}/32`, 'dev', 'eth0']);
      sh(['ip', '-n', pns, 'link', 'set', 'eth0', 'up']);
      sh(['ip', '-n', pns, 'route', 'add', '169.254.1.1', 'dev', 'eth0', 'scope', 'link']);
      sh(['ip', '-n', pns, 'route', 'add', 'default', 'via', '169.254.1.1', 'dev', 'eth0']);
      const resolv = path.join(work, `${pns}.resolv.conf`);
      writeFileSync(
        resolv,
        `search ${p.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`,
      );
      // A process living in the pod netns, as a container's would: its pid is what a node agent reports.
      const holder = spawn('ip', ['netns', 'exec', pns, 'sleep', '600'], { stdio: 'ignore' });
      holders.push(holder);
      pods.push({
        pod: { namespace: p.namespace, name: p.name },
        pid: holder.pid!,
        netns: pns,
        ipAddr: capture(pns, ['ip', '-j', 'addr'], 'ip -j addr'),
        resolvConf: capture(null, ['cat', resolv], 'cat /etc/resolv.conf'),
      });
    }
    sh(['ip', 'netns', 'exec', ns, 'iptables-restore'], nodeRules(n));
    const cniDir = path.join(work, n.name);
    mkdirSync(cniDir);
    const cniFile = path.join(cniDir, '10-calico.conflist');
    writeFileSync(
      cniFile,
      JSON.stringify(
        {
          name: 'k8s-pod-network',
          cniVersion: '0.3.1',
          plugins: [
            {
              type: 'calico',
              log_level: 'info',
              datastore_type: 'kubernetes',
              nodename: n.name,
              mtu: 1440,
              ipam: { type: 'calico-ipam', assign_ipv4: 'true', ipv4_pools: [n.podCidr] },
              policy: { type: 'k8s' },
            },
            { type: 'portmap', snat: true, capabilities: { portMappings: true } },
          ],
        },
        null,
        2,
      ),
    );
    nodes.push({
      name: n.name,
      via: 'lab',
      capturedAt: new Date().toISOString(),
      proxyMode: 'iptables',
      captures: {
        'iptables-save': capture(ns, ['iptables-save', '-c'], 'iptables-save -c'),
        'ip-addr': capture(ns, ['ip', '-j', 'addr'], 'ip -j addr'),
        'ip-route': capture(ns, ['ip', '-j', 'route'], 'ip -j route'),
        hostname: {
          command: 'hostname',
          stdout: `${n.name}\n`,
          stderr: '',
          exitCode: 0,
          sha256: createHash('sha256').update(`${n.name}\n`).digest('hex'),
        },
      },
      cniFiles: {
        '/etc/cni/net.d/10-calico.conflist': capture(null, ['cat', cniFile], 'cat /etc/cni/net.d/10-calico.conflist'),
      },
      pods,
    });
  }
  const snap: ClusterSnapshot = {
    schema: SNAPSHOT_SCHEMA,
    cluster: { name: 'kubepath-demo (provisional)' },
    capturedAt: new Date().toISOString(),
    capturedBy: 'scripts/demo/capture-provisional.ts',
    nodes,
    api: demoApi,
    description:
      'Provisional demo: kube-proxy-shaped iptables rules loaded into real network namespaces and read back with iptables-save -c / ip -j. ' +
      'Scenarios: ClusterIP (default/web), DNS (kube-system/kube-dns), NodePort (shop/frontend), LoadBalancer ETP=Local with endpoints only on node-a (shop/checkout: DROP on node-b), ' +
      'LB source ranges + ClientIP affinity (shop/payments), no endpoints → REJECT (default/legacy-billing), externalIP (default/reports), ITP=Local (monitoring/node-metrics), ' +
      'terminating endpoints (default/cart), stale node-b rules → drift (default/inventory), 24 endpoints (batch/workers), headless and ExternalName, node-c unreachable.',
  };
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(snap, null, 1)}\n`);
  console.log(`wrote ${out}: ${nodes.length} nodes, ${demoApi.services.length} services (netns prefix ${prefix})`);
}

main(path.resolve(process.argv[2] ?? 'demo/provisional-snapshot.json'));
process.exit(0); // the netns holder processes would otherwise keep the event loop alive
