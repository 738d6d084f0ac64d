/**
 * Front door of the tracer: decides the proxy mode from the inputs (or the collector's
 * `proxyMode`) and dispatches to the iptables, IPVS or nftables engine. The long-gone
 * userspace mode (KUBE-PORTALS-* chains redirecting to kube-proxy's own sockets) is recognised
 * and explained, not traced.
 */
import type { Packet, TraceResult } from '@/lib/model/trace';
import type { NetfilterDump } from '@/lib/model/netfilter';
import { traceIptables } from '@/lib/trace/netfilter/trace-iptables';
import type { EngineOptions } from '@/lib/trace/core/engine-start';
import { traceIpvs } from '@/lib/trace/ipvs/ipvs';
import { traceNft, kubeProxyNftTable } from '@/lib/trace/nft/nft-trace';
import type { TraceInputs } from '@/lib/model/trace-inputs';

export type ProxyMode = TraceResult['mode'];

function natChains(d: NetfilterDump | undefined): Record<string, unknown> {
  return d?.tables.nat?.chains ?? {};
}

/** Infer kube-proxy's mode from what was captured. */
export function detectMode(inputs: TraceInputs): ProxyMode {
  if (inputs.proxyMode && inputs.proxyMode !== 'unknown') return inputs.proxyMode;
  const nat = { ...natChains(inputs.iptables), ...natChains(inputs.ip6tables) };
  if ('KUBE-PORTALS-CONTAINER' in nat || 'KUBE-PORTALS-HOST' in nat) return 'userspace';
  const hasKubeServices = 'KUBE-SERVICES' in nat;
  if (inputs.nft && kubeProxyNftTable(inputs.nft, 'ip')) {
    if (!hasKubeServices) return 'nftables';
  }
  if ((inputs.ipvs?.virtualServers.length ?? 0) > 0 || 'KUBE-LOAD-BALANCER' in nat || 'KUBE-NODE-PORT' in nat)
    return 'ipvs';
  if (inputs.iptables || inputs.ip6tables) return 'iptables';
  if (inputs.nft && kubeProxyNftTable(inputs.nft, 'ip6')) return 'nftables';
  return 'unknown';
}

function userspace(inputs: TraceInputs, packet: Packet): TraceResult {
  return {
    packet,
    node: inputs.node,
    mode: 'userspace',
    outcomes: [],
    notes: [
      'This node runs kube-proxy in the obsolete userspace mode (KUBE-PORTALS-CONTAINER / KUBE-PORTALS-HOST chains): ' +
        'Service traffic is REDIRECTed to a port kube-proxy itself listens on, and kube-proxy copies bytes to an endpoint it picks in userspace. ' +
        'The kernel rules do not decide the endpoint, so the trace is not computed. Userspace mode was removed in Kubernetes 1.26; move the node to iptables, IPVS or nftables mode.',
    ],
    warnings: ['userspace proxy mode: not traced'],
  };
}

/**
 * Trace one NEW connection through the node. Never throws for bad dumps: problems end up in
 * `warnings` / assumptions. Throws only for an invalid question (caller validates IPs/ports).
 */
export function tracePacket(inputs: TraceInputs, packet: Packet, opts: EngineOptions = {}): TraceResult {
  const mode = detectMode(inputs);
  switch (mode) {
    case 'userspace':
      return userspace(inputs, packet);
    case 'nftables':
      return traceNft(inputs, packet, opts);
    case 'ipvs':
      return traceIpvs(inputs, packet, opts);
    case 'iptables':
      return traceIptables(inputs, packet, opts);
    default: {
      const r = traceIptables(inputs, packet, opts);
      r.mode = 'unknown';
      r.warnings.push('no iptables-save, ipvsadm or nft ruleset given: nothing to trace against');
      return r;
    }
  }
}
