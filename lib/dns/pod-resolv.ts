/**
 * A pod's resolv.conf when it was not captured: derived the way kubelet writes it, from the pod's
 * dnsPolicy/dnsConfig, kubelet's clusterDNS/clusterDomain (defaulting to the kube-dns Service and
 * cluster.local) and the node's resolv.conf. Kubelet's events become findings.
 */
import type { DnsFinding } from '@/lib/model/dns';
import type { PodModel, ServiceModel } from '@/lib/model/k8s';
import { kubeletResolvConf, type KubeletResolvConf } from '@/lib/dns/kubelet-resolv';

export interface PodResolvInput {
  pod: PodModel;
  services: ServiceModel[];
  /** kubelet --resolv-conf contents on the pod's node; undefined = --resolv-conf="". */
  nodeResolvConf?: string;
  clusterDNS?: string[];
  clusterDomain?: string;
  expandedDNSConfig?: boolean;
}

export function podResolvConf(i: PodResolvInput): { written: KubeletResolvConf; findings: DnsFinding[] } {
  const kubeDns = i.services.find(
    (s) => s.namespace === 'kube-system' && (s.name === 'kube-dns' || s.labels?.['k8s-app'] === 'kube-dns'),
  );
  const clusterDNS = i.clusterDNS ?? kubeDns?.clusterIPs.filter((ip) => ip && ip !== 'None') ?? [];
  const written = kubeletResolvConf(i.pod, {
    clusterDNS,
    clusterDomain: i.clusterDomain ?? 'cluster.local',
    hostResolvConf: i.nodeResolvConf,
    expandedDNSConfig: i.expandedDNSConfig,
  });
  const declared = i.pod.dnsPolicy ?? 'ClusterFirst';
  const findings: DnsFinding[] = [
    {
      id: 'kubelet-resolv-conf',
      severity: 'info',
      message: `resolv.conf derived for pod ${i.pod.namespace}/${i.pod.name} as kubelet writes it (dnsPolicy ${declared}${i.pod.hostNetwork ? ', hostNetwork' : ''} → ${written.effectivePolicy}${i.pod.dnsConfig ? ' + dnsConfig' : ''}): ${written.text.trim().replace(/\n/g, ' | ')}`,
    },
  ];
  if (declared === 'ClusterFirst' && i.pod.hostNetwork) {
    findings.push({
      id: 'kubelet-resolv-conf',
      severity: 'warning',
      message: `pod ${i.pod.namespace}/${i.pod.name} uses hostNetwork with dnsPolicy ClusterFirst, so kubelet gives it the node's resolv.conf: cluster names do not resolve by short name.`,
      fix: 'Set dnsPolicy: ClusterFirstWithHostNet.',
    });
  }
  for (const e of written.events)
    findings.push({
      id: 'kubelet-resolv-conf',
      severity: 'warning',
      message: `kubelet event ${e.reason}: ${e.message}`,
    });
  return { written, findings };
}
