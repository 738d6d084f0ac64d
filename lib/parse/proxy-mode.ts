/**
 * kube-proxy's mode on a node: from its command line when visible, else inferred from what it
 * wrote. kube-proxy's default mode on Linux is iptables (an empty `mode` means iptables).
 */
import type { NodeCapture } from '@/lib/model/snapshot';

type Mode = NonNullable<NodeCapture['proxyMode']>;

export function modeFromCmdline(cmdline: string): Mode | undefined {
  const m = /--proxy-mode[= ](\S+)/.exec(cmdline);
  if (!m) return undefined;
  const v = m[1];
  return v === 'iptables' || v === 'ipvs' || v === 'nftables' || v === 'userspace' ? v : 'unknown';
}

/** `mode: ipvs` in a KubeProxyConfiguration (ConfigMap `config.conf`). */
export function modeFromConfig(configText: string): Mode | undefined {
  const m = /^mode:\s*"?([a-z]*)"?\s*$/m.exec(configText);
  if (!m) return undefined;
  return m[1] === '' ? 'iptables' : modeFromCmdline(`--proxy-mode=${m[1]}`);
}

export function inferProxyMode(kubeProxyCmdlines: string, captures: NodeCapture['captures']): Mode {
  const fromCmd = modeFromCmdline(kubeProxyCmdlines);
  if (fromCmd) return fromCmd;
  const ipt = captures['iptables-save']?.stdout ?? '';
  const nft = captures.nft?.stdout ?? '';
  const ipvs = captures.ipvsadm;
  if (/^(\[\d+:\d+\] )?-A KUBE-SVC-/m.test(ipt)) return 'iptables';
  if (/table ip kube-proxy/.test(nft)) return 'nftables';
  if ((ipvs && !ipvs.error && /^(TCP|UDP|SCTP)\s/m.test(ipvs.stdout)) || /KUBE-CLUSTER-IP/.test(ipt)) return 'ipvs';
  return 'unknown';
}
