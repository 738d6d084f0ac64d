/**
 * The "cheap lab": Kubernetes nodes, pods and an outside client as network namespaces, no control
 * plane. Node 1 routes like a real node (ip_forward=1, bridge cni0, pods on veths with hairpin on,
 * host-gw route to node 2's pods, a route for the service CIDR so locally generated ClusterIP traffic
 * reaches nat OUTPUT). Rulesets are loaded separately (rules.ts), written from `topology.plan`.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressPlan } from './addressing';
import { localVip, newRunHex, planAddresses, podIP, podIP6 } from './addressing';
import { run } from './exec';
import { killProcesses, registerNamespace, registerProcess, unregisterNamespace } from './process-registry';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface PodSpec {
  /** Short name; the server answers `pod-<name>`. */
  name: string;
  node: 1 | 2;
}

export interface TopologySpec {
  pods: PodSpec[];
  /** TCP ports every pod serves (default [8080]). */
  tcpPorts?: number[];
  /** UDP echo ports every pod serves (default [5353]). */
  udpPorts?: number[];
  /** How many VIPs node 1 holds as local addresses (default 2). */
  localVips?: number;
  /** 4-hex run id (default random, or KP_LAB_SEED). */
  hex?: string;
  /** Dual-stack: IPv6 (ULA) addresses and routes next to the IPv4 ones. */
  ipv6?: boolean;
}

export interface LabPod {
  name: string;
  /** What the pod server answers with. */
  label: string;
  node: 1 | 2;
  ip: string;
  /** IPv6 address when the topology is dual-stack. */
  ip6?: string;
  ns: string;
  /** Host-side veth in the node netns (Calico-style name). */
  hostVeth: string;
}

export interface TopologyPlan {
  plan: AddressPlan;
  /** Namespaces: nodes[0] is node 1. */
  ns: { nodes: string[]; client: string; underlay: string };
  pods: LabPod[];
  /** Addresses node 1 holds for local VIPs. */
  localVips: string[];
  podByLabel(label: string): LabPod | undefined;
  podByIP(ip: string): LabPod | undefined;
}

export interface Topology extends TopologyPlan {
  /** Kills the pod servers and deletes every namespace. Safe to call twice. */
  teardown(): Promise<void>;
}

const ip = (args: string[]) => run('ip', args);

/**
 * Node sysctls. ip_forward as on any node. No ICMP redirects: the lab routes the service CIDR out
 * cni0, so a pod's packet to a ClusterIP enters and leaves cni0 and the kernel would send a
 * redirect first, which uses up the per-host ICMP token bucket and silently suppresses the
 * REJECT's port-unreachable (measured: OutRedirects 2, OutRateLimitHost 2, client timed out).
 * No ICMP rate limit: a case sends its N connections at once and each REJECT must be answered
 * (a real node rate-limits to ~6 burst then 1/s per host; that is a property of ICMP, not of
 * the rules under test). Set before any interface exists so `default` covers them all.
 */
/** IPv6 equivalents (ICMPv6 errors are rate-limited per host the same way). */
const NODE_SYSCTLS_V6 = ['net.ipv6.conf.all.forwarding=1', 'net.ipv6.icmp.ratelimit=0'];

const NODE_SYSCTLS = [
  'net.ipv4.ip_forward=1',
  'net.ipv4.conf.all.send_redirects=0',
  'net.ipv4.conf.default.send_redirects=0',
  'net.ipv4.icmp_ratelimit=0',
];

/** The addresses and names a topology WILL have (pure; nothing is created). */
export function planTopology(spec: TopologySpec): TopologyPlan {
  const plan = planAddresses(spec.hex ?? newRunHex());
  const p = plan.prefix;
  const nodeCount = spec.pods.some((x) => x.node === 2) ? 2 : 1;
  const hostCount = [0, 1, 1];
  const pods: LabPod[] = spec.pods.map((ps) => {
    const host = ++hostCount[ps.node];
    const hash = createHash('sha256').update(`${p}/${ps.name}`).digest('hex');
    return {
      name: ps.name,
      label: `pod-${ps.name}`,
      node: ps.node,
      ip: podIP(plan, ps.node, host),
      ip6: spec.ipv6 ? podIP6(plan, ps.node, host) : undefined,
      ns: `${p}-p${ps.name}`,
      hostVeth: `cali${hash.slice(0, 11)}`,
    };
  });
  return {
    plan,
    ns: {
      nodes: Array.from({ length: nodeCount }, (_, i) => `${p}-n${i + 1}`),
      client: `${p}-cl`,
      underlay: `${p}-ul`,
    },
    pods,
    localVips: Array.from({ length: spec.localVips ?? 2 }, (_, i) => localVip(plan, i + 1)),
    podByLabel: (label) => pods.find((x) => x.label === label),
    podByIP: (addr) => pods.find((x) => x.ip === addr || (x.ip6 !== undefined && sameIp6(x.ip6, addr))),
  };
}

/** Compares IPv6 text forms loosely (tracer output may be expanded or compressed). */
function sameIp6(a: string, b: string): boolean {
  if (!b.includes(':')) return false;
  const expand = (s: string) => {
    const [head, tail = ''] = s.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const mid = s.includes('::') ? Array(8 - h.length - t.length).fill('0') : [];
    return [...h, ...mid, ...t].map((x) => parseInt(x, 16)).join(':');
  };
  return expand(a) === expand(b);
}

/** Builds the topology; on any failure it tears down what it built and rethrows. */
export async function createTopology(spec: TopologySpec): Promise<Topology> {
  const planned = planTopology(spec);
  const { plan, pods } = planned;
  const { nodes, client, underlay } = planned.ns;
  const nodeCount = nodes.length;
  const vips = planned.localVips;
  const created: string[] = [];
  const serverPids: number[] = [];
  const tcpPorts = spec.tcpPorts ?? [8080];
  const udpPorts = spec.udpPorts ?? [5353];

  let tornDown = false;
  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    await killProcesses(serverPids);
    for (const ns of [...created].reverse()) {
      await run('ip', ['netns', 'del', ns], { allowFail: true });
      unregisterNamespace(ns);
    }
  };
  const v6 = spec.ipv6 === true;
  const addNs = async (ns: string) => {
    await ip(['netns', 'add', ns]);
    created.push(ns);
    registerNamespace(ns);
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    // No duplicate address detection: addresses are usable at once (DAD would hold them ~1 s).
    if (v6)
      await run('ip', [
        'netns',
        'exec',
        ns,
        'sysctl',
        '-qw',
        'net.ipv6.conf.all.accept_dad=0',
        'net.ipv6.conf.default.accept_dad=0',
      ]);
  };
  const addr6 = async (ns: string, addr: string, dev: string) => {
    if (v6) await ip(['-n', ns, 'addr', 'add', addr, 'dev', dev, 'nodad']);
  };

  try {
    // Underlay: a bridge in its own netns; nodes and client hang off it with veths.
    await addNs(underlay);
    await ip(['-n', underlay, 'link', 'add', 'br0', 'type', 'bridge']);
    await ip(['-n', underlay, 'link', 'set', 'br0', 'up']);
    const attach = async (ns: string, port: string, addrs: string[]) => {
      await ip(['link', 'add', port, 'netns', underlay, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      await ip(['-n', underlay, 'link', 'set', port, 'master', 'br0', 'up']);
      for (const a of addrs)
        await ip([
          '-n',
          ns,
          'addr',
          'add',
          a.includes(':') ? `${a}/64` : `${a}/24`,
          'dev',
          'eth0',
          ...(a.includes(':') ? ['nodad'] : []),
        ]);
      await ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
    };
    for (let i = 0; i < nodeCount; i++) {
      const ns = nodes[i];
      const me = plan.node[i];
      await addNs(ns);
      await run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', ...NODE_SYSCTLS, ...(v6 ? NODE_SYSCTLS_V6 : [])]);
      await attach(ns, `up${i + 1}`, [me.underlay, ...(v6 ? [plan.v6.node[i].underlay] : [])]);
      await ip(['-n', ns, 'link', 'add', 'cni0', 'type', 'bridge']);
      await ip(['-n', ns, 'addr', 'add', `${me.gateway}/24`, 'dev', 'cni0']);
      await addr6(ns, `${plan.v6.node[i].gateway}/64`, 'cni0');
      await ip(['-n', ns, 'link', 'set', 'cni0', 'up']);
      if (nodeCount === 2) {
        const peer = plan.node[1 - i];
        await ip(['-n', ns, 'route', 'add', peer.podCidr, 'via', peer.underlay]); // host-gw
        if (v6) await ip(['-n', ns, 'route', 'add', plan.v6.node[1 - i].podCidr, 'via', plan.v6.node[1 - i].underlay]);
      }
    }
    // Node 1: service CIDR route with the node's underlay IP as source, so node-originated
    // ClusterIP traffic leaves from the node IP (not a pod-CIDR address) as on a real node.
    await ip(['-n', nodes[0], 'route', 'add', plan.serviceCidr, 'dev', 'cni0', 'src', plan.node[0].underlay]);
    if (v6)
      await ip(['-n', nodes[0], 'route', 'add', plan.v6.serviceCidr, 'dev', 'cni0', 'src', plan.v6.node[0].underlay]);
    // This kernel has no dummy driver; VIPs bound on lo are just as LOCAL (addrtype, routing).
    for (const v of vips) await ip(['-n', nodes[0], 'addr', 'add', `${v}/32`, 'dev', 'lo']);
    await addNs(client);
    await attach(client, 'upc', [
      plan.client.underlay,
      plan.client.blocked,
      ...(v6 ? [plan.v6.client.underlay, plan.v6.client.blocked] : []),
    ]);
    await ip(['-n', client, 'route', 'add', plan.serviceCidr, 'via', plan.node[0].underlay]);
    if (v6) await ip(['-n', client, 'route', 'add', plan.v6.serviceCidr, 'via', plan.v6.node[0].underlay]);

    for (const pod of pods) {
      const node = nodes[pod.node - 1];
      await addNs(pod.ns);
      await ip(['link', 'add', pod.hostVeth, 'netns', node, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod.ns]);
      await ip(['-n', node, 'link', 'set', pod.hostVeth, 'master', 'cni0', 'up']);
      // Without hairpin a pod can never reach itself through its Service (bridge won't reflect).
      await ip(['-n', node, 'link', 'set', pod.hostVeth, 'type', 'bridge_slave', 'hairpin', 'on']);
      await ip(['-n', pod.ns, 'addr', 'add', `${pod.ip}/24`, 'dev', 'eth0']);
      await ip(['-n', pod.ns, 'link', 'set', 'eth0', 'up']);
      await ip(['-n', pod.ns, 'route', 'add', 'default', 'via', plan.node[pod.node - 1].gateway]);
      if (pod.ip6) {
        await addr6(pod.ns, `${pod.ip6}/64`, 'eth0');
        await ip(['-n', pod.ns, 'route', 'add', 'default', 'via', plan.v6.node[pod.node - 1].gateway]);
      }
    }
    await Promise.all(pods.map((pod) => startPodServer(pod, tcpPorts, udpPorts, serverPids)));
  } catch (err) {
    await teardown();
    throw err;
  }
  return { ...planned, teardown };
}

/** Starts the pod server in the pod netns and resolves once it listens on every port. */
function startPodServer(pod: LabPod, tcp: number[], udp: number[], pids: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        pod.ns,
        process.execPath,
        path.join(HERE, 'pod-server.mjs'),
        pod.label,
        tcp.join(','),
        udp.join(','),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    registerProcess(child, `pod-server ${pod.label}`);
    if (child.pid !== undefined) pids.push(child.pid);
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`pod server ${pod.label} not ready after 10 s: ${err}`)), 10_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes(`ready ${pod.label}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pod server ${pod.label} exited (${code}): ${err}`));
    });
  });
}
