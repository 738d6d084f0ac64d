/**
 * What `explainDnsLookup` needs for one pod, taken from the served snapshot: the pod's resolv.conf
 * as captured on its node (read through /proc/PID/root), or — when it was not captured — derived the
 * way kubelet writes it, plus the API objects, the Corefile and the node's resolv.conf. Every
 * assumption made for missing data is returned as a note so the console can say it.
 */
import 'server-only';
import type { PodModel } from '@/lib/model/k8s';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { DnsExplainInput } from '@/lib/dns/explain';
import { podResolvConf } from '@/lib/dns/pod-resolv';
import { AppFailure } from '../../errors';
import type { PodResolv } from '@/lib/model/dns';

export interface PodDnsInputs {
  pod: PodModel;
  resolv: PodResolv;
  /** Everything assumed because the snapshot lacks it (Corefile, upstream, node resolv.conf). */
  notes: string[];
  input: Omit<DnsExplainInput, 'name' | 'flavor' | 'traceNameserver'>;
}

/** A usable capture: present, exit 0, no collection error. */
function capturedText(c: { stdout: string; exitCode: number | null; error?: string } | undefined): string | undefined {
  return c && !c.error && c.exitCode === 0 ? c.stdout : undefined;
}

export function findPod(snap: ClusterSnapshot, ref: string): PodModel {
  const [ns, name] = ref.split('/');
  const pod = snap.api?.pods.find((p) => p.namespace === ns && p.name === name);
  if (!pod)
    throw new AppFailure({
      kind: 'not-found',
      resource: 'pod',
      message: `unknown pod "${ns}/${name}"${snap.api ? '' : ' (this snapshot has no API objects)'}`,
    });
  return pod;
}

export function podDnsInputs(snap: ClusterSnapshot, ref: string): PodDnsInputs {
  const pod = findPod(snap, ref);
  const api = snap.api!;
  const node = snap.nodes.find((n) => n.name === pod.nodeName);
  const notes: string[] = [];
  // kubelet --resolv-conf on the pod's node is (by default) the node's /etc/resolv.conf.
  const nodeResolvConf = capturedText(node?.captures['resolv.conf']);
  const netns = node?.pods?.find((p) => p.pod?.namespace === pod.namespace && p.pod?.name === pod.name);
  const captured = capturedText(netns?.resolvConf);
  const objects = { services: api.services, endpointSlices: api.endpointSlices, pods: api.pods };
  const endpointSlicesKnown = !api.notes.some((n) => /endpointslice/i.test(n.resource));
  const base = {
    objects,
    endpointSlicesKnown,
    corefile: api.corefile,
    nodeResolvConf,
    clientIp: pod.podIPs[0],
  };
  if (api.corefile === undefined)
    notes.push("The snapshot has no coredns ConfigMap: kubeadm's default Corefile is assumed.");
  notes.push('What upstream DNS knows is not in the snapshot: names forwarded upstream are shown as not found there.');
  if (nodeResolvConf === undefined)
    notes.push(
      `The resolv.conf of node ${pod.nodeName ?? '(unscheduled)'} was not captured: forward-loop checks and kubelet's host search list are unavailable.`,
    );

  let resolv: PodResolv;
  if (captured !== undefined) {
    resolv = {
      source: 'captured',
      text: captured,
      note: `captured on node ${node!.name} with \`${netns!.resolvConf!.command}\``,
    };
  } else {
    const why = !node
      ? `node ${pod.nodeName ?? '(none)'} is not in the snapshot`
      : node.error
        ? `node ${node.name} was not collected (${node.error.kind})`
        : !netns
          ? `no network namespace of this pod was captured on ${node.name}`
          : netns.resolvConf
            ? `the capture failed (${netns.resolvConf.error ?? `exit ${netns.resolvConf.exitCode}`})`
            : 'its resolv.conf was not captured';
    const { written } = podResolvConf({ pod, services: api.services, nodeResolvConf });
    resolv = {
      source: 'derived',
      text: written.text,
      note: `not captured (${why}): derived as kubelet writes it from dnsPolicy ${pod.dnsPolicy ?? 'ClusterFirst'}${pod.hostNetwork ? ' + hostNetwork' : ''} and the kube-dns Service`,
    };
  }
  return {
    pod,
    resolv,
    notes,
    // A derived file is derived again inside explainDnsLookup (pod + objects) so kubelet's events become findings.
    input:
      resolv.source === 'captured'
        ? { ...base, resolvConf: resolv.text }
        : { ...base, pod: `${pod.namespace}/${pod.name}` },
  };
}
