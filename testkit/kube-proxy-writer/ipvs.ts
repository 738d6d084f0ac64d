/**
 * The IPVS-mode half of the production-shaped writer: what kube-proxy's IPVS proxier leaves on a
 * node, for the demo's IPVS fixture node (testkit/lab-collect/ipvs-fixture-node.ts). This kernel
 * has no ip_vs, so a real IPVS kube-proxy cannot run here: the ipset members (`ipset restore`
 * input) and the IPVS-mode iptables rules (docs/kube-proxy-semantics.md §3.2–3.3) are loaded into a private netns
 * and captured back with the real tools; only `ipvsadm -Ln` is synthesized, in ipvsadm's exact
 * printf format (`  -> %-28s %-7s %-6d %-10u %-10u`, §3.4). The Service ports come from the same
 * API reading as the iptables writer (from-api.ts). There is no second, kernel-side IPVS writer:
 * without ip_vs there is no kernel to be the oracle (testkit/kernel/ipvs.test.ts checks only the
 * real ipvsadm's failure); the IPVS tracer's own tests use hand-written rules (lib/trace/ipvs).
 */
import type { ApiObjects } from '@/lib/model/k8s';
import { servicePortsFromApi } from '@/testkit/kube-proxy-writer/from-api';

export interface IpvsNodeSpec {
  nodeIP: string;
  clusterCIDR: string;
  /** `svcNamespace/svcName` whose LAST real server is drained: weight 0 (graceful termination). */
  drainService?: string;
}

interface RealServer {
  ip: string;
  port: number;
  weight: number;
  act: number;
  inact: number;
}
export interface VirtualServer {
  proto: 'TCP' | 'UDP' | 'SCTP';
  ip: string;
  port: number;
  sched: string;
  rs: RealServer[];
}

/** One virtual server per VIP (ClusterIP, externalIPs, LB IPs) and per NodePort on the node IP; ready endpoints only. */
export function virtualServers(api: ApiObjects, spec: IpvsNodeSpec): VirtualServer[] {
  const out: VirtualServer[] = [];
  for (const sp of servicePortsFromApi(api)) {
    const rs = sp.endpoints
      .filter((e) => e.ready)
      .map((e) => ({ ip: e.ip, port: e.port!, weight: 1, act: 0, inact: 0 }))
      .sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }));
    if (spec.drainService === `${sp.ns}/${sp.name}` && rs.length > 1)
      Object.assign(rs[rs.length - 1], { weight: 0, inact: 2 });
    const sched = sp.affinitySeconds ? `rr persistent ${sp.affinitySeconds}` : 'rr';
    const proto = (sp.proto ?? 'tcp').toUpperCase() as VirtualServer['proto'];
    for (const ip of [sp.clusterIP, ...(sp.externalIPs ?? []), ...(sp.lbIPs ?? [])])
      out.push({ proto, ip, port: sp.port, sched, rs: rs.map((r) => ({ ...r })) });
    if (sp.nodePort) out.push({ proto, ip: spec.nodeIP, port: sp.nodePort, sched, rs: rs.map((r) => ({ ...r })) });
  }
  return out;
}

export function ipvsadmText(vss: VirtualServer[]): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  // ipvsadm sorts by protocol, then address, then port.
  const sorted = [...vss].sort(
    (a, b) => a.proto.localeCompare(b.proto) || a.ip.localeCompare(b.ip, 'en', { numeric: true }) || a.port - b.port,
  );
  for (const v of sorted) {
    lines.push(`${v.proto}  ${v.ip}:${v.port} ${v.sched}`);
    for (const r of v.rs)
      lines.push(
        `  -> ${pad(`${r.ip}:${r.port}`, 28)} ${pad('Masq', 7)} ${pad(String(r.weight), 6)} ${pad(String(r.act), 10)} ${pad(String(r.inact), 10)}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

/** `ipset restore` input: the sets kube-proxy's IPVS proxier keeps, filled from the API. */
export function ipsetRestore(api: ApiObjects): string {
  const sets: Record<string, { type: string; members: string[] }> = {
    'KUBE-CLUSTER-IP': { type: 'hash:ip,port', members: [] },
    'KUBE-EXTERNAL-IP': { type: 'hash:ip,port', members: [] },
    'KUBE-LOAD-BALANCER': { type: 'hash:ip,port', members: [] },
    'KUBE-LOAD-BALANCER-LOCAL': { type: 'hash:ip,port', members: [] },
    'KUBE-LOAD-BALANCER-FW': { type: 'hash:ip,port', members: [] },
    'KUBE-LOAD-BALANCER-SOURCE-CIDR': { type: 'hash:ip,port,net', members: [] },
    'KUBE-LOOP-BACK': { type: 'hash:ip,port,ip', members: [] },
    'KUBE-NODE-PORT-TCP': { type: 'bitmap:port', members: [] },
    'KUBE-NODE-PORT-LOCAL-TCP': { type: 'bitmap:port', members: [] },
    'KUBE-HEALTH-CHECK-NODE-PORT': { type: 'bitmap:port', members: [] },
    'KUBE-IPVS-IPS': { type: 'hash:ip', members: [] },
  };
  const add = (set: string, ...members: string[]) => sets[set].members.push(...members);
  for (const sp of servicePortsFromApi(api)) {
    const local = sp.etp === 'Local';
    const lbIPs = sp.lbIPs ?? [];
    const ranges = sp.sourceRanges ?? [];
    const pp = `${sp.proto ?? 'tcp'}:${sp.port}`;
    add('KUBE-IPVS-IPS', sp.clusterIP, ...(sp.externalIPs ?? []), ...lbIPs);
    if (sp.healthCheckNodePort) add('KUBE-HEALTH-CHECK-NODE-PORT', String(sp.healthCheckNodePort));
    add('KUBE-CLUSTER-IP', `${sp.clusterIP},${pp}`);
    for (const ip of sp.externalIPs ?? []) add('KUBE-EXTERNAL-IP', `${ip},${pp}`);
    for (const ip of lbIPs) {
      add('KUBE-LOAD-BALANCER', `${ip},${pp}`);
      if (local) add('KUBE-LOAD-BALANCER-LOCAL', `${ip},${pp}`);
      if (ranges.length) {
        add('KUBE-LOAD-BALANCER-FW', `${ip},${pp}`);
        for (const cidr of ranges) add('KUBE-LOAD-BALANCER-SOURCE-CIDR', `${ip},${pp},${cidr}`);
      }
    }
    // Every TCP nodePort is in KUBE-NODE-PORT-TCP; ETP=Local ones also in -LOCAL- (RETURN before masquerade).
    if (sp.nodePort && sp.proto === 'tcp') add('KUBE-NODE-PORT-TCP', String(sp.nodePort));
    if (sp.nodePort && sp.proto === 'tcp' && local) add('KUBE-NODE-PORT-LOCAL-TCP', String(sp.nodePort));
  }
  const lines: string[] = [];
  for (const [name, s] of Object.entries(sets)) {
    lines.push(
      `create ${name} ${s.type} ${s.type.startsWith('bitmap') ? 'range 0-65535' : 'family inet hashsize 1024 maxelem 65536'}`,
    );
    // A Service's VIPs and health-check port repeat for each of its ports: members are listed once.
    for (const m of [...new Set(s.members)]) lines.push(`add ${name} ${m}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The iptables rules kube-proxy's IPVS proxier writes (docs/kube-proxy-semantics.md §3.3), in its order. */
export function ipvsModeRules(spec: IpvsNodeSpec): string {
  const c = (t: string) => `-m comment --comment "${t}"`;
  return `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-NODE-PORT - [0:0]
:KUBE-LOAD-BALANCER - [0:0]
:KUBE-MARK-MASQ - [0:0]
-A PREROUTING ${c('kubernetes service portals')} -j KUBE-SERVICES
-A OUTPUT ${c('kubernetes service portals')} -j KUBE-SERVICES
-A POSTROUTING ${c('kubernetes postrouting rules')} -j KUBE-POSTROUTING
-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN
-A KUBE-POSTROUTING ${c('Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose')} -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING ${c('kubernetes service traffic requiring SNAT')} -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-SERVICES ${c('Kubernetes service lb portal')} -m set --match-set KUBE-LOAD-BALANCER dst,dst -j KUBE-LOAD-BALANCER
-A KUBE-LOAD-BALANCER ${c('Kubernetes service load balancer ip + port with externalTrafficPolicy=local')} -m set --match-set KUBE-LOAD-BALANCER-LOCAL dst,dst -j RETURN
-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ
-A KUBE-NODE-PORT -p tcp ${c('Kubernetes nodeport TCP port with externalTrafficPolicy=local')} -m set --match-set KUBE-NODE-PORT-LOCAL-TCP dst -j RETURN
-A KUBE-NODE-PORT -p tcp ${c('Kubernetes nodeport TCP port for masquerade purpose')} -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ
-A KUBE-SERVICES ! -s ${spec.clusterCIDR} ${c('Kubernetes service cluster ip + port for masquerade purpose')} -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ
-A KUBE-SERVICES ${c('Kubernetes service external ip + port for masquerade and filter purpose')} -m set --match-set KUBE-EXTERNAL-IP dst,dst -j KUBE-MARK-MASQ
-A KUBE-SERVICES ${c('Kubernetes service external ip + port for masquerade and filter purpose')} -m set --match-set KUBE-EXTERNAL-IP dst,dst -m addrtype --dst-type LOCAL -j ACCEPT
-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT
-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT
-A KUBE-SERVICES -m set --match-set KUBE-LOAD-BALANCER dst,dst -j ACCEPT
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODE-PORT - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SOURCE-RANGES-FIREWALL - [0:0]
:KUBE-IPVS-FILTER - [0:0]
:KUBE-IPVS-OUT-FILTER - [0:0]
-A INPUT ${c('kubernetes health check rules')} -j KUBE-NODE-PORT
-A INPUT -m conntrack --ctstate NEW ${c('kube-proxy firewall rules')} -j KUBE-PROXY-FIREWALL
-A INPUT ${c('kubernetes ipvs access filter')} -j KUBE-IPVS-FILTER
-A FORWARD -m conntrack --ctstate NEW ${c('kube-proxy firewall rules')} -j KUBE-PROXY-FIREWALL
-A FORWARD ${c('kubernetes forwarding rules')} -j KUBE-FORWARD
-A OUTPUT ${c('kubernetes ipvs access filter')} -j KUBE-IPVS-OUT-FILTER
-A KUBE-FORWARD ${c('kubernetes forwarding rules')} -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD ${c('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-NODE-PORT ${c('Kubernetes health check node port')} -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT
-A KUBE-PROXY-FIREWALL ${c('Kubernetes service load balancer ip + port for load balancer with sourceRange')} -m set --match-set KUBE-LOAD-BALANCER-FW dst,dst -j KUBE-SOURCE-RANGES-FIREWALL
-A KUBE-SOURCE-RANGES-FIREWALL ${c('Kubernetes service load balancer ip + port + source cidr for packet filter purpose')} -m set --match-set KUBE-LOAD-BALANCER-SOURCE-CIDR dst,dst,src -j RETURN
-A KUBE-SOURCE-RANGES-FIREWALL -j DROP
-A KUBE-IPVS-FILTER -m set --match-set KUBE-LOAD-BALANCER dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN
-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT --reject-with icmp-port-unreachable
COMMIT
`;
}
