/**
 * Text for an IPVS-mode demo node, derived from the lab's real API objects: the ipset members and
 * iptables rules kube-proxy's IPVS proxier writes (docs/kube-proxy-semantics.md §3.2–3.3), and `ipvsadm -Ln` output in
 * ipvsadm's exact printf format (`  -> %-28s %-7s %-6d %-10u %-10u`). The ipsets and rules are
 * loaded into a private netns and captured back with the real tools; only ipvsadm is synthesized,
 * because this kernel has no ip_vs.
 */
import type { ApiObjects, ServiceModel } from '@/lib/model/k8s';

export interface IpvsNodeSpec {
  nodeIP: string;
  clusterCIDR: string;
  /** `svcNamespace/svcName` whose LAST real server is drained: weight 0 (graceful termination). */
  drainService?: string;
}

interface VS { proto: 'TCP' | 'UDP' | 'SCTP'; ip: string; port: number; sched: string; rs: { ip: string; port: number; weight: number; act: number; inact: number }[] }

const hasVip = (s: ServiceModel) => s.type !== 'ExternalName' && s.clusterIPs.length > 0 && s.clusterIPs[0] !== 'None';

export function virtualServers(api: ApiObjects, spec: IpvsNodeSpec): VS[] {
  const out: VS[] = [];
  for (const svc of api.services.filter(hasVip)) {
    for (const port of svc.ports) {
      const rs = api.endpointSlices
        .filter((es) => es.namespace === svc.namespace && es.service === svc.name && es.addressType === 'IPv4')
        .flatMap((es) => {
          const p = es.ports.find((x) => (x.name ?? '') === (port.name ?? '') && x.protocol === port.protocol);
          return p ? es.endpoints.filter((e) => e.ready).flatMap((e) => e.addresses.map((ip) => ({ ip, port: p.port, weight: 1, act: 0, inact: 0 }))) : [];
        })
        .sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }));
      if (spec.drainService === `${svc.namespace}/${svc.name}` && rs.length > 1) Object.assign(rs[rs.length - 1], { weight: 0, inact: 2 });
      const sched = svc.sessionAffinity === 'ClientIP' ? `rr persistent ${svc.sessionAffinityTimeout ?? 10800}` : 'rr';
      const vips = [svc.clusterIPs[0], ...svc.externalIPs, ...svc.loadBalancerIPs];
      for (const ip of vips) out.push({ proto: port.protocol, ip, port: port.port, sched, rs: rs.map((r) => ({ ...r })) });
      if (port.nodePort) out.push({ proto: port.protocol, ip: spec.nodeIP, port: port.nodePort, sched, rs: rs.map((r) => ({ ...r })) });
    }
  }
  return out;
}

export function ipvsadmText(vss: VS[]): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = ['IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn'];
  // ipvsadm sorts by protocol, then address, then port.
  const sorted = [...vss].sort((a, b) => a.proto.localeCompare(b.proto) || a.ip.localeCompare(b.ip, 'en', { numeric: true }) || a.port - b.port);
  for (const v of sorted) {
    lines.push(`${v.proto}  ${v.ip}:${v.port} ${v.sched}`);
    for (const r of v.rs) lines.push(`  -> ${pad(`${r.ip}:${r.port}`, 28)} ${pad('Masq', 7)} ${pad(String(r.weight), 6)} ${pad(String(r.act), 10)} ${pad(String(r.inact), 10)}`);
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
  for (const svc of api.services.filter(hasVip)) {
    const local = svc.externalTrafficPolicy === 'Local';
    sets['KUBE-IPVS-IPS'].members.push(svc.clusterIPs[0], ...svc.externalIPs, ...svc.loadBalancerIPs);
    if (svc.healthCheckNodePort) sets['KUBE-HEALTH-CHECK-NODE-PORT'].members.push(String(svc.healthCheckNodePort));
    for (const p of svc.ports) {
      const pp = `${p.protocol.toLowerCase()}:${p.port}`;
      sets['KUBE-CLUSTER-IP'].members.push(`${svc.clusterIPs[0]},${pp}`);
      for (const ip of svc.externalIPs) sets['KUBE-EXTERNAL-IP'].members.push(`${ip},${pp}`);
      for (const ip of svc.loadBalancerIPs) {
        sets['KUBE-LOAD-BALANCER'].members.push(`${ip},${pp}`);
        if (local) sets['KUBE-LOAD-BALANCER-LOCAL'].members.push(`${ip},${pp}`);
        if (svc.loadBalancerSourceRanges.length) {
          sets['KUBE-LOAD-BALANCER-FW'].members.push(`${ip},${pp}`);
          for (const cidr of svc.loadBalancerSourceRanges) sets['KUBE-LOAD-BALANCER-SOURCE-CIDR'].members.push(`${ip},${pp},${cidr}`);
        }
      }
      // Every TCP nodePort is in KUBE-NODE-PORT-TCP; ETP=Local ones also in -LOCAL- (RETURN before masquerade).
      if (p.nodePort && p.protocol === 'TCP') sets['KUBE-NODE-PORT-TCP'].members.push(String(p.nodePort));
      if (p.nodePort && p.protocol === 'TCP' && local) sets['KUBE-NODE-PORT-LOCAL-TCP'].members.push(String(p.nodePort));
    }
  }
  const lines: string[] = [];
  for (const [name, s] of Object.entries(sets)) {
    lines.push(`create ${name} ${s.type} ${s.type.startsWith('bitmap') ? 'range 0-65535' : 'family inet hashsize 1024 maxelem 65536'}`);
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
