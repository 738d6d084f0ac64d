/**
 * What a Corefile (or a legacy kube-dns configuration) means for name resolution, as data: per
 * server block, the plugins that decide an answer. lib/dns/coredns-config.ts and
 * lib/dns/legacy-kube-dns.ts build it; the DNS explanation carries it.
 */

export interface LegacyKubeDns {
  source: 'ConfigMap' | 'Deployment';
  clusterDomain: string;
  stubDomains: Record<string, string[]>;
  upstreamNameservers: string[];
  servers: CoreDnsServerConfig[];
  explanation: string[];
}

export interface KubernetesPluginConfig {
  zones: string[];
  pods: 'disabled' | 'insecure' | 'verified';
  /** undefined: no fallthrough; []: fall through for every zone; else only these zones. */
  fallthrough?: string[];
  ttl: number;
  endpointPodNames: boolean;
  ignoreEmptyService: boolean;
  line: number;
}

export interface ForwardConfig {
  from: string;
  to: string[];
  except: string[];
  policy: string;
  forceTcp: boolean;
  line: number;
  raw: string;
}

export interface RewriteNameRule {
  match: 'exact' | 'prefix' | 'suffix' | 'substring' | 'regex';
  from: string;
  to: string;
  line: number;
  raw: string;
}

export interface HostsPluginConfig {
  file?: string;
  inline: HostsTable;
  zones: string[];
  fallthrough?: string[];
  line: number;
}

export interface CoreDnsServerConfig {
  zones: string[];
  port: number;
  line: number;
  plugins: string[];
  kubernetes?: KubernetesPluginConfig;
  forward?: ForwardConfig;
  hosts?: HostsPluginConfig;
  rewrite: RewriteNameRule[];
  cache?: { ttl: number; disabledFor: string[]; line: number };
  autopath?: { target: string; line: number };
  loop: boolean;
}

export interface HostsEntry {
  v4: string[];
  v6: string[];
  line: number;
}

/** Lower-case FQDN with trailing dot → addresses. */
export type HostsTable = Map<string, HostsEntry>;
