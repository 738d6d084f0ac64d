/**
 * What the tracer needs from one node. Everything is already parsed (lib/parse); the tracer never
 * reads text. Only `iptables` (or `nft`) is required; the rest sharpens the answer, and what is
 * missing is reported as an assumption rather than guessed silently.
 */
import type { NetfilterDump } from '@/lib/model/netfilter';
import type { IpvsTable, IpSetList } from '@/lib/model/ipvs';
import type { NftRuleset } from '@/lib/model/nft';
import type { NetInterface, Route } from '@/lib/model/interfaces';

export interface TraceInputs {
  node?: string;
  iptables?: NetfilterDump;
  ip6tables?: NetfilterDump;
  ipvs?: IpvsTable;
  ipsets?: IpSetList;
  nft?: NftRuleset;
  interfaces?: NetInterface[];
  routes?: Route[];
  /** Extra addresses to treat as local (CLI --local-ip), on top of the interfaces'. */
  localIPs?: string[];
  /** Proxy mode if known from the collector; otherwise the tracer infers it from the captures. */
  proxyMode?: 'iptables' | 'ipvs' | 'nftables' | 'userspace' | 'unknown';
}

export interface TraceOptions {
  /** Reproduce upstream kube-proxy's test tracer exactly (for the acceptance cases). */
  compat?: boolean;
}
