/**
 * Service detail: the API object, its EndpointSlices, and per node what the dataplane holds for each
 * ClusterIP port (traced from the node itself), with API-vs-node drift.
 */
import 'server-only';
import type { EndpointSliceModel, ServiceModel } from '@/lib/model/k8s';
import { portDrift } from '@/lib/graph/service-drift';
import { findService, slicesFor } from './cluster-index';
import { traceOn } from '../trace/engine';
import { computeDrift } from '@/lib/snapshot/drift';
import { nodeAddress } from '../trace/resolve-question';
import type { Served } from '../snapshot/served';
import type { NodePortDataplane } from '@/lib/model/cluster';
import type { DriftFinding } from '@/lib/model/drift';

export interface ServiceDetail {
  service: ServiceModel;
  slices: EndpointSliceModel[];
  dataplane: NodePortDataplane[];
  /** lib/snapshot/drift.ts findings (rule-level API-vs-node comparison) for this Service. */
  findings: DriftFinding[];
}

let driftCache: { version: string; findings: DriftFinding[] } | undefined;

/** `s` is the snapshot the request's gate looked up (once per request). */
export function serviceDetail(s: Served, namespace: string, name: string): ServiceDetail | undefined {
  const svc = findService(s.snapshot, namespace, name);
  if (!svc) return undefined;
  const slices = slicesFor(s.snapshot, svc);
  const ip = svc.clusterIPs[0];
  const dataplane: NodePortDataplane[] = [];
  if (svc.type !== 'ExternalName' && ip && ip !== 'None') {
    for (const n of s.snapshot.nodes) {
      // From the node itself: a node source decides the node, so the link names no node.
      const src = nodeAddress(s.snapshot, n.name);
      for (const p of svc.ports) {
        const proto = p.protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp';
        const traceHref = `/trace?${new URLSearchParams({ src: `node:${n.name}`, dst: ip, port: String(p.port), proto })}`;
        const port = `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol}`;
        const t = src
          ? traceOn(s.snapshot, s.version, n.name, { src, dst: ip, port: p.port, proto })
          : {
              node: n.name,
              error: n.error
                ? {
                    kind: 'unreachable' as const,
                    node: n.name,
                    cause: n.error.kind,
                    message: `node ${n.name} was not collected (${n.error.kind}): ${n.error.message}`,
                  }
                : {
                    kind: 'no-data' as const,
                    node: n.name,
                    message: `node ${n.name} has no known address (neither the API nor its captures name one)`,
                  },
            };
        dataplane.push(
          t.result
            ? { node: n.name, port, traceHref, drift: portDrift(svc, p, slices, n.name, t.result.outcomes) }
            : { node: n.name, port, traceHref, error: t.error },
        );
      }
    }
  }
  if (driftCache?.version !== s.version)
    driftCache = { version: s.version, findings: computeDrift(s.snapshot).findings };
  const key = `${namespace}/${name}`;
  const findings = driftCache.findings.filter((f) => f.service === key || f.service?.startsWith(`${key}:`));
  return { service: svc, slices, dataplane, findings };
}
