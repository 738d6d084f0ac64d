/**
 * Viewer visibility for a DNS explanation. Like a trace, an explanation that touches a namespace
 * the viewer may not see is refused whole (403): the pod's own namespace, the nameserver packet's
 * path (kube-dns lives in kube-system), an answer naming a hidden Service, or a query into a hidden
 * namespace that got anything but NXDOMAIN (NODATA vs NXDOMAIN alone tells that a name exists).
 */
import 'server-only';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { RequestViewer } from '../../viewer/viewer';
import { canSee, tracesRefusal } from '../../viewer/viewer';
import type { DnsResponse, NodeTrace } from '../../wire/dns';

/** The reason to refuse this explanation to the viewer, or undefined when it may see all of it. */
export function dnsRefusal(body: DnsResponse, viewer: RequestViewer, snap: ClusterSnapshot): string | undefined {
  if (viewer.access.allNamespaces) return undefined;
  const podNs = body.question.pod.split('/')[0];
  if (!canSee(viewer, podNs)) return `pod ${body.question.pod} is in a namespace you may not see`;
  const traces = body.explanation.nameserverPaths
    .map((p) => p.trace as NodeTrace | undefined)
    .filter((t): t is NodeTrace => !!t);
  const path = tracesRefusal(traces, viewer, snap);
  if (path) return `the DNS packet's path: ${path}`;
  for (const a of body.answers) {
    if (a.service && !canSee(viewer, a.service.split('/')[0]))
      return 'the answer is a Service in a namespace you may not see';
  }
  const zone = `.svc.${body.explanation.clusterDomain}.`;
  for (const q of body.explanation.queries) {
    const i = q.name.indexOf(zone);
    if (i < 0 || q.rcode === 'NXDOMAIN') continue;
    const ns = q.name.slice(0, i).split('.').at(-1)!;
    if (!canSee(viewer, ns)) return 'a query of this lookup is answered from a namespace you may not see';
  }
  return undefined;
}
