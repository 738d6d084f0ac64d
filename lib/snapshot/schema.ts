/**
 * zod schema of the ClusterSnapshot file (kubepath.snapshot/v1). Used on LOAD: a snapshot file is
 * untrusted input (hand-edited, truncated, from another version). Kept in step with
 * lib/model/snapshot.ts and lib/model/k8s.ts; `satisfies` checks below catch drift at compile time.
 */
import { z } from 'zod';
import type { ApiObjects } from '@/lib/model/k8s';
import type { ClusterSnapshot, NodeCapture, RawCapture } from '@/lib/model/snapshot';
import { SNAPSHOT_SCHEMA } from '@/lib/model/snapshot';

const proto = z.enum(['TCP', 'UDP', 'SCTP']);
const strMap = z.record(z.string(), z.string());

export const rawCaptureSchema = z.object({
  command: z.string(),
  stdout: z.string(),
  stderr: z.string(),
  exitCode: z.number().int().nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
  truncated: z.boolean().optional(),
  error: z.string().optional(),
  durationMs: z.number().optional(),
});

const captureKind = z.enum([
  'iptables-save',
  'ip6tables-save',
  'iptables-legacy-save',
  'ip6tables-legacy-save',
  'ipvsadm',
  'ipvsadm-stats',
  'ipset',
  'nft',
  'ip-addr',
  'ip-route',
  'conntrack',
  'resolv.conf',
  'cni',
  'kube-proxy-mode',
  'hostname',
]);

export const nodeCaptureSchema = z.object({
  name: z.string().min(1),
  via: z.string(),
  capturedAt: z.string(),
  proxyMode: z.enum(['iptables', 'ipvs', 'nftables', 'userspace', 'unknown']).optional(),
  captures: z.partialRecord(captureKind, rawCaptureSchema),
  cniFiles: z.record(z.string(), rawCaptureSchema).optional(),
  pods: z
    .array(
      z.object({
        pod: z.object({ namespace: z.string(), name: z.string() }).optional(),
        pid: z.number().int().positive(),
        netns: z.string().optional(),
        ipAddr: rawCaptureSchema,
        resolvConf: rawCaptureSchema.optional(),
      }),
    )
    .optional(),
  error: z
    .object({
      kind: z.enum([
        'unreachable',
        'auth',
        'host-key',
        'timeout',
        'command',
        'output-too-large',
        'missing-binary',
        'internal',
      ]),
      message: z.string(),
    })
    .optional(),
  warnings: z.array(z.string()).optional(),
});

const endpoint = z.object({
  addresses: z.array(z.string()),
  ready: z.boolean(),
  serving: z.boolean(),
  terminating: z.boolean(),
  nodeName: z.string().optional(),
  hostname: z.string().optional(),
  targetRef: z
    .object({ kind: z.string(), namespace: z.string().optional(), name: z.string(), uid: z.string().optional() })
    .optional(),
});

export const apiObjectsSchema = z.object({
  services: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      uid: z.string().optional(),
      type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']),
      clusterIPs: z.array(z.string()),
      ports: z.array(
        z.object({
          name: z.string().optional(),
          protocol: proto,
          port: z.number().int(),
          targetPort: z.union([z.number(), z.string()]).optional(),
          nodePort: z.number().int().optional(),
        }),
      ),
      externalIPs: z.array(z.string()),
      loadBalancerIPs: z.array(z.string()),
      loadBalancerSourceRanges: z.array(z.string()),
      externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
      internalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
      sessionAffinity: z.enum(['None', 'ClientIP']).optional(),
      sessionAffinityTimeout: z.number().optional(),
      healthCheckNodePort: z.number().optional(),
      externalName: z.string().optional(),
      selector: strMap.optional(),
      labels: strMap.optional(),
    }),
  ),
  endpointSlices: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      service: z.string(),
      addressType: z.enum(['IPv4', 'IPv6', 'FQDN']),
      ports: z.array(z.object({ name: z.string().optional(), port: z.number().int(), protocol: proto })),
      endpoints: z.array(endpoint),
      apiVersion: z.enum(['discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1']),
    }),
  ),
  pods: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      uid: z.string().optional(),
      nodeName: z.string().optional(),
      podIPs: z.array(z.string()),
      hostIP: z.string().optional(),
      phase: z.string().optional(),
      ready: z.boolean(),
      hostNetwork: z.boolean(),
      dnsPolicy: z.enum(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']).optional(),
      dnsConfig: z
        .object({
          nameservers: z.array(z.string()).optional(),
          searches: z.array(z.string()).optional(),
          options: z.array(z.object({ name: z.string(), value: z.string().optional() })).optional(),
        })
        .optional(),
      labels: strMap.optional(),
      hostname: z.string().optional(),
      subdomain: z.string().optional(),
    }),
  ),
  nodes: z.array(
    z.object({
      name: z.string(),
      addresses: z.array(z.object({ type: z.string(), address: z.string() })),
      podCIDRs: z.array(z.string()),
      ready: z.boolean().optional(),
      labels: strMap.optional(),
    }),
  ),
  corefile: z.string().optional(),
  kubeProxyConfig: z.string().optional(),
  notes: z.array(z.object({ resource: z.string(), reason: z.string() })),
});

export const clusterSnapshotSchema = z.object({
  schema: z.literal(SNAPSHOT_SCHEMA),
  cluster: z.object({ name: z.string(), context: z.string().optional(), server: z.string().optional() }),
  capturedAt: z.string(),
  capturedBy: z.string().optional(),
  nodes: z.array(nodeCaptureSchema),
  api: apiObjectsSchema.optional(),
  description: z.string().optional(),
});

// Compile-time drift checks: the inferred types must be assignable to the shared model.
type Check<A, B extends A> = B;
export type _RawOk = Check<RawCapture, z.infer<typeof rawCaptureSchema>>;
export type _NodeOk = Check<NodeCapture, z.infer<typeof nodeCaptureSchema>>;
export type _ApiOk = Check<ApiObjects, z.infer<typeof apiObjectsSchema>>;
export type _SnapOk = Check<ClusterSnapshot, z.infer<typeof clusterSnapshotSchema>>;
