/**
 * Manifests for the pod agent: a Namespace and one short-lived Pod per node. The pod needs host
 * network + host PID (to see the node's netfilter state and pod netns) and privilege (netlink
 * dumps need CAP_NET_ADMIN; nsenter needs CAP_SYS_ADMIN/PTRACE), but it gets NO API access: no
 * service-account token is mounted. activeDeadlineSeconds bounds its life even if kubepath dies.
 */
import type { V1Namespace, V1Pod } from '@kubernetes/client-node';

export const AGENT_NAMESPACE = 'kubepath-agent';
export const AGENT_LABEL = 'app.kubernetes.io/name';
export const AGENT_LABEL_VALUE = 'kubepath-agent';
/**
 * Built from agents/pod/Dockerfile (node:20 + agents/pod/agent-main.ts bundled into agent.mjs), or,
 * on the lab, by scripts/lab/images/build-images.sh; override with --agent-image.
 */
export const DEFAULT_AGENT_IMAGE = 'kubepath-agent:0.1.0';

export function agentNamespace(): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: AGENT_NAMESPACE, labels: { [AGENT_LABEL]: AGENT_LABEL_VALUE } },
  };
}

export interface AgentPodOptions {
  node: string;
  image: string;
  /** Pod lifetime cap in seconds (the kubelet kills it after this). */
  ttlSeconds: number;
  /** The node's CNI config directory when it is not /etc/cni/net.d (validated by the collector). */
  cniDir?: string;
  /**
   * Read the host's files through read-only hostPath mounts at their own paths instead of through
   * /proc/1/root: for nodes whose PID 1 the pod may not inspect (the lab's VM init refuses it) or
   * whose files live elsewhere. `resolvConf` is the node's resolver file, mounted on /etc/resolv.conf.
   */
  hostMounts?: { cniDir: string; resolvConf: string };
}

/** Node names are DNS subdomains; the pod name is derived from them, so validate here. */
function podNameFor(node: string): string {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(node) || node.length > 253)
    throw new Error(`invalid node name ${JSON.stringify(node)}`);
  return `kubepath-agent-${node.replace(/\./g, '-').slice(0, 40)}-`;
}

export function agentPod(opts: AgentPodOptions): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: podNameFor(opts.node),
      namespace: AGENT_NAMESPACE,
      labels: { [AGENT_LABEL]: AGENT_LABEL_VALUE, 'kubepath.dev/node': opts.node.slice(0, 63) },
    },
    spec: {
      nodeName: opts.node, // bypasses the scheduler: the agent must run on THIS node
      hostNetwork: true,
      hostPID: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      activeDeadlineSeconds: opts.ttlSeconds,
      terminationGracePeriodSeconds: 0,
      tolerations: [{ operator: 'Exists' }], // also control-plane / tainted nodes
      containers: [
        {
          name: 'agent',
          image: opts.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['node', '/opt/kubepath/agent.mjs'],
          env: [
            { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            ...(opts.cniDir || opts.hostMounts
              ? [{ name: 'KUBEPATH_CNI_DIR', value: opts.hostMounts?.cniDir ?? opts.cniDir! }]
              : []),
            ...(opts.hostMounts ? [{ name: 'KUBEPATH_HOST_FILES', value: 'direct' }] : []),
          ],
          securityContext: { privileged: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: true },
          resources: { limits: { memory: '256Mi', cpu: '500m' }, requests: { memory: '64Mi', cpu: '50m' } },
          // xtables takes a lock file under /run; give it a writable tmpfs since the root fs is read-only.
          volumeMounts: [
            { name: 'run', mountPath: '/run' },
            { name: 'tmp', mountPath: '/tmp' },
            ...(opts.hostMounts
              ? [
                  { name: 'host-cni', mountPath: opts.hostMounts.cniDir, readOnly: true },
                  { name: 'host-resolv', mountPath: '/etc/resolv.conf', readOnly: true },
                ]
              : []),
          ],
        },
      ],
      volumes: [
        { name: 'run', emptyDir: { medium: 'Memory' } },
        { name: 'tmp', emptyDir: { medium: 'Memory' } },
        ...(opts.hostMounts
          ? [
              { name: 'host-cni', hostPath: { path: opts.hostMounts.cniDir, type: 'Directory' } },
              { name: 'host-resolv', hostPath: { path: opts.hostMounts.resolvConf, type: 'File' } },
            ]
          : []),
      ],
    },
  };
}
