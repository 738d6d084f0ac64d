/**
 * IPVS mode. kube-proxy still writes iptables rules (masquerade marks through ipsets,
 * KUBE-NODE-PORT, KUBE-LOAD-BALANCER, source-range firewall, KUBE-IPVS-FILTER) and they run
 * exactly as in iptables mode; the DNAT itself is IPVS: a virtual server lookup by
 * (protocol, VIP, port) at LOCAL_IN — the VIPs are LOCAL because kube-proxy binds them to the
 * dummy kube-ipvs0 — then the scheduler picks a real server and POSTROUTING (KUBE-LOOP-BACK,
 * KUBE-POSTROUTING) decides masquerade.
 */
import type { Packet, TraceResult } from '@/lib/model/trace';
import type { VirtualServer } from '@/lib/model/ipvs';
import type { Branch } from '@/lib/trace/core/branch';
import { forkBranch } from '@/lib/trace/core/branch';
import { nodeViewFor } from '@/lib/trace/core/node-view';
import { traceNetfilter } from '@/lib/trace/netfilter/trace-iptables';
import type { EngineOptions } from '@/lib/trace/core/engine-start';
import { normalizeIp, formatEndpoint } from '@/lib/net/ip';
import type { TraceInputs } from '@/lib/model/trace-inputs';

const HASHED = new Set(['sh', 'dh', 'mh']);
const LOADED = new Set(['lc', 'wlc', 'sed', 'nq', 'lblc', 'lblcr', 'fo', 'ovf', 'twos']);

/** Find the virtual server for the packet (FWM services match on the packet mark). */
export function findVirtualServer(vss: VirtualServer[], b: Branch): VirtualServer | undefined {
  const dst = normalizeIp(b.pkt.dst);
  const proto = b.pkt.proto.toUpperCase();
  return (
    vss.find((v) => v.protocol === proto && v.port === b.pkt.dport && normalizeIp(v.address) === dst) ??
    vss.find((v) => v.protocol === 'FWM' && Number(v.address) === b.mark && b.mark !== 0)
  );
}

function step(
  b: Branch,
  vs: VirtualServer,
  effect: 'ipvs' | 'dnat' | 'reject' | 'note',
  why: string,
  line = vs.line,
  raw = vs.raw,
  endpoint?: string,
): void {
  b.steps.push({
    table: 'ipvs',
    chain: `${vs.protocol} ${formatEndpoint(vs.address, vs.port)}`,
    line,
    raw,
    effect,
    why,
    label: { role: 'virtual-server', ...(endpoint ? { endpoint } : {}) },
  });
}

/** The IPVS stage: null when no virtual server matches (the packet is not IPVS traffic). */
export function ipvsStage(vss: VirtualServer[], notes: Set<string>) {
  return (b: Branch): Branch[] | null => {
    const vs = findVirtualServer(vss, b);
    if (!vs) return null;
    const active = vs.realServers.filter((r) => r.weight > 0);
    const draining = vs.realServers.filter((r) => r.weight <= 0);
    step(
      b,
      vs,
      'ipvs',
      `IPVS virtual server ${vs.protocol} ${formatEndpoint(vs.address, vs.port)} matches (scheduler ${vs.scheduler}${vs.persistent ? `, persistent ${vs.persistent} s` : ''}); ${active.length} real server(s) with weight > 0`,
    );
    for (const r of draining) {
      step(
        b,
        vs,
        'note',
        `real server ${formatEndpoint(r.address, r.port)} excluded: weight 0 (draining — kept only for its existing connections)`,
        r.line,
        r.raw,
      );
    }
    if (vs.persistent) {
      notes.add(
        `session affinity (IPVS persistent ${vs.persistent} s): the first connection is scheduled, then this client sticks to the same real server (templates in ipvsadm -Lnc)`,
      );
    }
    if (!active.length) {
      step(
        b,
        vs,
        'reject',
        'no real server can take a new connection: IPVS answers ICMP port unreachable (connection refused)',
      );
      b.verdict = 'reject';
      return [b];
    }
    const total = active.reduce((s, r) => s + r.weight, 0);
    if (HASHED.has(vs.scheduler))
      notes.add(
        `IPVS scheduler ${vs.scheduler}: the real server is chosen by a hash of the address, deterministically per client; probabilities show the weight share`,
      );
    else if (LOADED.has(vs.scheduler))
      notes.add(
        `IPVS scheduler ${vs.scheduler}: the choice depends on live connection counts; probabilities show the weight share`,
      );
    return active.map((r) => {
      const p = r.weight / total;
      const x = active.length === 1 ? b : forkBranch(b, p);
      const ep = formatEndpoint(r.address, r.port);
      const how =
        r.forward === 'Masq' || r.forward === 'Local'
          ? `DNAT to ${ep}`
          : `${r.forward} forwarding to ${ep} (no DNAT on this node)`;
      step(x, vs, 'dnat', `${vs.scheduler} picks ${ep} (weight ${r.weight}/${total}); ${how}`, r.line, r.raw, ep);
      if (active.length > 1) x.steps[x.steps.length - 1].branchProbability = p;
      if (r.forward === 'Masq' || r.forward === 'Local') {
        x.dnat = { ip: r.address, port: r.port };
        x.pkt.dst = r.address;
        x.pkt.dport = r.port;
      }
      return x;
    });
  };
}

/** Trace in IPVS mode: iptables rules with ipsets, plus the virtual-server stage. */
export function traceIpvs(inputs: TraceInputs, packet: Packet, opts: EngineOptions = {}): TraceResult {
  const vss = inputs.ipvs?.virtualServers ?? [];
  const notes = new Set<string>();
  // ClusterIPs (and LB/external IPs) live on kube-ipvs0: LOCAL even when ip addr was not captured.
  const vips = vss.filter((v) => v.protocol !== 'FWM').map((v) => v.address);
  const haveIpvs0 = inputs.interfaces?.some((i) => i.name === 'kube-ipvs0');
  if (!haveIpvs0 && vips.length)
    notes.add(
      'kube-ipvs0 addresses not captured: every IPVS virtual server address is treated as a local address, as kube-proxy binds them to kube-ipvs0',
    );
  const node = nodeViewFor(inputs, 'ipvs', () => (haveIpvs0 ? [] : vips));
  const r = traceNetfilter(inputs, packet, opts, 'ipvs', { node, ipvs: ipvsStage(vss, notes), notes });
  if (!inputs.ipvs)
    r.warnings.push('IPVS mode but no ipvsadm output given: virtual servers unknown, no DNAT can be shown');
  if (!inputs.ipsets) r.warnings.push('IPVS mode but no ipset output given: set matches are assumed not to hold');
  return r;
}
