/** A CNI network configuration list (`/etc/cni/net.d/*.conflist`). */
export interface CniPlugin {
  type: string;
  /** Everything else the plugin declares, with secrets redacted by the parser. */
  settings: Record<string, unknown>;
}

export interface CniConfig {
  file: string;
  name: string;
  cniVersion?: string;
  plugins: CniPlugin[];
  /** Pod CIDRs / subnets found in IPAM sections. */
  subnets: string[];
}
