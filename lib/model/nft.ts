/** `nft list ruleset` / `nft -j list ruleset`, as plain data. Rules keep their text and line. */

export interface NftRule {
  /** Rule text as nft prints it, without the leading indentation and without `# handle N`. */
  text: string;
  line: number;
  raw: string;
  handle?: number;
  comment?: string;
}

export interface NftChain {
  name: string;
  line: number;
  type?: 'filter' | 'nat' | 'route';
  hook?: string;
  /** Numeric priority (dstnat = -100, srcnat = 100, filter = 0, "dstnat - 10" = -110). */
  priority?: number;
  policy?: 'accept' | 'drop';
  rules: NftRule[];
}

export interface NftSetElement {
  /** Key text, e.g. `10.96.0.20 . tcp . 80`. */
  key: string;
  /** For maps: value text, e.g. `goto service-X`. */
  value?: string;
  comment?: string;
}

export interface NftSet {
  name: string;
  kind: 'set' | 'map';
  line: number;
  type: string;
  flags: string[];
  comment?: string;
  elements: NftSetElement[];
}

export interface NftTable {
  family: 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';
  name: string;
  line: number;
  comment?: string;
  chains: Record<string, NftChain>;
  sets: Record<string, NftSet>;
  /** True when nft printed "table ... is managed by iptables-nft": kube-proxy iptables mode, not nftables mode. */
  managedByIptablesNft?: boolean;
}

export interface NftRuleset {
  tables: NftTable[];
}
