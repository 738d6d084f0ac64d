/**
 * KubeConfig loading for kubepath: a kubeconfig file (optionally a named context), the default
 * locations ($KUBECONFIG, ~/.kube/config), or in-cluster service-account config. Only
 * @kubernetes/client-node 1.x is used (2.x does not run on Node 20).
 */
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeTarget {
  /** Path to a kubeconfig; default $KUBECONFIG / ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
  /** Use the pod's service account (KUBERNETES_SERVICE_HOST + mounted token). */
  inCluster?: boolean;
}

export interface LoadedKubeConfig {
  kc: KubeConfig;
  cluster: { name: string; context?: string; server?: string };
}

export function loadKubeConfig(target: KubeTarget = {}): LoadedKubeConfig {
  const kc = new KubeConfig();
  if (target.inCluster) {
    kc.loadFromCluster();
  } else if (target.kubeconfig) {
    kc.loadFromFile(target.kubeconfig);
  } else {
    kc.loadFromDefault();
  }
  if (target.context) {
    if (!kc.getContextObject(target.context)) {
      const known =
        kc
          .getContexts()
          .map((c) => c.name)
          .join(', ') || 'none';
      throw new Error(`kubeconfig has no context "${target.context}" (contexts: ${known})`);
    }
    kc.setCurrentContext(target.context);
  }
  const current = kc.getCurrentCluster();
  if (!current) throw new Error('kubeconfig selects no cluster (no current-context?)');
  return { kc, cluster: { name: current.name, context: kc.getCurrentContext() || undefined, server: current.server } };
}
