/**
 * The "resolve this name from this pod" graph as plain data: pod → resolv.conf → each candidate name
 * in the order the stub resolver tries it (with its A/AAAA queries and their answers) → the nameserver (the kube-dns
 * Service) → the CoreDNS pods the packet tracer DNATs it to on the pod's node → who answered
 * (kubernetes plugin, forward upstream, …) → the final getaddrinfo answer. No React, no cytoscape.
 */
import type { ElementDefinition } from 'cytoscape';
import type { DnsQuery, DnsVia, LookupResult, NameserverPath } from '@/lib/model/dns';
import type { TraceResult } from '@/lib/model/trace';
import { formatProbability } from './graph-model';
import type { PodRef } from '@/lib/model/graph';

export type DnsGraphNodeKind = 'pod' | 'resolv' | 'candidate' | 'nameserver' | 'coredns' | 'blocked' | 'via' | 'answer';

export interface DnsGraphNode {
  id: string;
  kind: DnsGraphNodeKind;
  /** Plain text (cytoscape draws it on a canvas; never HTML). */
  label: string;
  /** The answer failed / the packet was refused: drawn as a verdict. */
  bad?: boolean;
}

export interface DnsGraphEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  kind: 'flow' | 'next' | 'query' | 'dnat' | 'answer' | 'verdict';
}

export interface DnsGraph {
  nodes: DnsGraphNode[];
  edges: DnsGraphEdge[];
}

/** The parts of the API response the graph reads. */
export interface DnsGraphInput {
  podLabel: string;
  resolvSource: 'captured' | 'derived';
  explanation: Pick<LookupResult, 'config' | 'steps' | 'queries' | 'addresses' | 'status' | 'nameserverPaths'>;
  /** Pod IP → pod, to name the CoreDNS pods the nameserver packet reaches. */
  pods?: Record<string, PodRef>;
}

/** The nameserver trace as the console attaches it (a NodeTrace from lib/server/trace/engine). */
interface AttachedTrace {
  node: string;
  result?: TraceResult;
  error?: { message: string };
}

const VIA_TEXT: Record<DnsVia, string> = {
  kubernetes: 'CoreDNS kubernetes plugin',
  autopath: 'CoreDNS autopath',
  forward: 'CoreDNS forward → upstream',
  hosts: 'CoreDNS hosts plugin',
  'stub-domain': 'stub domain server',
  upstream: 'upstream DNS',
  'not-cluster-dns': 'not the cluster DNS',
  unreachable: 'no answer',
  none: 'no server',
};

const answerText = (q: DnsQuery) =>
  `${q.type} → ${q.rcode}${q.answers.length ? ` ${q.answers.map((a) => (a.type === q.type ? a.data : `${a.type} ${a.data}`)).join(', ')}` : ''}`;
const ipOf = (to: string) => (to.startsWith('[') ? to.slice(1, to.indexOf(']')) : to.slice(0, to.lastIndexOf(':')));

function viaLabel(via: DnsVia, qs: DnsQuery[]): string {
  const to = [...new Set(qs.flatMap((q) => q.forwardedTo ?? []))];
  return `${VIA_TEXT[via]}${to.length ? `\n${to.join(', ')}` : ''}`;
}

export function buildDnsGraph(i: DnsGraphInput): DnsGraph {
  const nodes = new Map<string, DnsGraphNode>();
  const edges = new Map<string, DnsGraphEdge>();
  const node = (n: DnsGraphNode) => (nodes.has(n.id) ? nodes.get(n.id)! : (nodes.set(n.id, n), n));
  const edge = (source: string, target: string, kind: DnsGraphEdge['kind'], label: string) => {
    const id = `${source}->${target}`;
    if (!edges.has(id)) edges.set(id, { id, source, target, kind, label });
  };
  const e = i.explanation;
  const c = e.config;
  node({ id: 'pod', kind: 'pod', label: i.podLabel });
  node({
    id: 'resolv',
    kind: 'resolv',
    label: `resolv.conf (${i.resolvSource})\nnameserver ${c.nameservers.join(', ') || '(none)'}\nsearch ${c.search.join(' ') || '(none)'}\nndots:${c.options.ndots}`,
  });
  edge('pod', 'resolv', 'flow', '');

  let prev = 'resolv';
  e.steps.forEach((st, si) => {
    const id = `cand:${si}`;
    // The queries sent for a candidate are drawn inside it (one line each), so the lookup reads top-down.
    const qs = e.queries.filter((q) => q.candidate === si);
    node({
      id,
      kind: 'candidate',
      bad: st.outcome !== 'addresses',
      label: `${si + 1}. ${st.candidate.fqdn}\n(${st.candidate.reason}${st.candidate.searchDomain ? ` ${st.candidate.searchDomain}` : ''})${qs.map((q) => `\n${answerText(q)}`).join('')}${qs.length ? '' : `\n${st.outcome}: nothing sent`}`,
    });
    edge(
      prev,
      id,
      prev === 'resolv' ? 'flow' : 'next',
      prev === 'resolv' ? 'first' : `${e.steps[si - 1].outcome} → next`,
    );
    prev = id;
  });

  // Which nameserver paths were traced, and where the trace sends the packet.
  const paths = new Map<string, NameserverPath>(e.nameserverPaths.map((p) => [p.ip, p]));
  const exits = new Map<string, string[]>(); // nameserver ip → node ids the packet reaches
  for (const p of e.nameserverPaths) {
    const nsId = `ns:${p.ip}`;
    node({
      id: nsId,
      kind: 'nameserver',
      label: `${p.kind === 'kube-dns-clusterip' ? 'kube-dns Service' : p.kind === 'nodelocal-dnscache' ? 'NodeLocal DNSCache' : p.kind === 'pod-ip' ? 'pod IP' : 'nameserver'}\n${p.ip}:${p.port}/${p.proto}`,
    });
    const t = p.trace as AttachedTrace | undefined;
    const reached: string[] = [];
    if (t?.error) {
      const id = `blocked:${p.ip}:untraced`;
      node({
        id,
        kind: 'blocked',
        bad: true,
        label: `not traced on ${t.node || 'its node'}\n${t.error.message.slice(0, 80)}`,
      });
      edge(nsId, id, 'verdict', 'trace failed');
    }
    for (const o of t?.result?.outcomes ?? []) {
      if (o.verdict === 'dnat' || o.verdict === 'accept') {
        const pod = o.to ? i.pods?.[ipOf(o.to)] : undefined;
        const id = `coredns:${o.to}`;
        node({
          id,
          kind: 'coredns',
          label: `${pod ? `pod ${pod.namespace}/${pod.name}` : o.verdict === 'accept' ? 'no Service rule: reached as addressed' : 'endpoint'}\n${o.to ?? ''}${pod?.node ? `\non ${pod.node}` : ''}`,
        });
        edge(nsId, id, 'dnat', `${o.verdict.toUpperCase()} ${formatProbability(o.probability)}`);
        reached.push(id);
      } else {
        const id = `blocked:${p.ip}:${o.verdict}`;
        node({
          id,
          kind: 'blocked',
          bad: true,
          label: `${o.verdict.toUpperCase()} on ${t!.node}\n${formatProbability(o.probability)}`,
        });
        edge(nsId, id, 'verdict', formatProbability(o.probability));
      }
    }
    exits.set(p.ip, reached);
  }

  const byVia = new Map<string, DnsQuery[]>();
  for (const q of e.queries) {
    const nsId = `ns:${q.nameserver}`;
    if (!paths.has(q.nameserver)) node({ id: nsId, kind: 'nameserver', label: `nameserver\n${q.nameserver}` });
    const types = e.queries
      .filter((x) => x.candidate === q.candidate && x.nameserver === q.nameserver)
      .map((x) => x.type);
    edge(`cand:${q.candidate}`, nsId, 'query', [...new Set(types)].join('+'));
    const key = `${q.nameserver}|${q.via}`;
    byVia.set(key, [...(byVia.get(key) ?? []), q]);
  }
  for (const [key, qs] of byVia) {
    const [ns, via] = key.split('|') as [string, DnsVia];
    const id = `via:${via}`;
    node({ id, kind: 'via', bad: via === 'unreachable' || via === 'none', label: viaLabel(via, qs) });
    // Refused/dropped packets never reach CoreDNS: the "no answer" hangs off the nameserver itself.
    const from = exits.get(ns)?.length ? exits.get(ns)! : [`ns:${ns}`];
    for (const f of from)
      edge(f, id, via === 'unreachable' ? 'verdict' : 'answer', [...new Set(qs.map((q) => q.rcode))].join('/'));
  }

  const ok = e.status === 'OK';
  node({
    id: 'answer',
    kind: 'answer',
    bad: !ok,
    label: ok ? `getaddrinfo → ${e.addresses.join(', ')}` : `getaddrinfo → ${e.status}`,
  });
  const winners = e.queries.filter((q) => q.answers.some((a) => e.addresses.includes(a.data)));
  for (const q of winners) edge(`via:${q.via}`, 'answer', 'answer', q.type);
  edge(prev, 'answer', ok ? 'answer' : 'verdict', ok ? 'success' : (e.steps.at(-1)?.decision ?? 'no candidates'));
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

const CLASS: Record<DnsGraphNodeKind, string> = {
  pod: 'source',
  resolv: 'hook',
  candidate: 'chain',
  nameserver: 'route',
  coredns: 'endpoint',
  blocked: 'verdict',
  via: 'ipvs',
  answer: 'endpoint',
};

/** DnsGraph → cytoscape elements, styled with the trace graph's stylesheet classes. */
export function dnsToCytoscape(g: DnsGraph): ElementDefinition[] {
  return [
    ...g.nodes.map((n): ElementDefinition => {
      const lines = n.label.split('\n');
      return {
        group: 'nodes',
        data: {
          id: n.id,
          label: n.label,
          kind: n.kind,
          w: Math.max(...lines.map((l) => l.length)) * 6.6 + 18,
          h: lines.length * 14 + 12,
        },
        classes: [
          n.bad && (n.kind === 'answer' || n.kind === 'blocked' || n.kind === 'via') ? 'verdict' : CLASS[n.kind],
          `dns-${n.kind}`,
        ].join(' '),
      };
    }),
    ...g.edges.map((e): ElementDefinition => ({
      group: 'edges',
      data: { id: e.id, source: e.source, target: e.target, label: e.label, kind: e.kind },
      classes: e.kind === 'next' || e.kind === 'flow' ? 'flow' : e.kind,
    })),
  ];
}
