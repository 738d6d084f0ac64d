/**
 * The verdict sentence a person reads first, e.g. "✗ dropped on node-2 at filter FORWARD line 21
 * (host firewall 'block api metrics', not kube-proxy) after DNAT to default/api-1 10.244.2.3:9090
 * on node-2; the client times out". Built only from the classified answer, so the sentence and
 * the JSON fields can never disagree.
 */
import type { AnswerPod, AnswerRule } from '@/lib/model/answer';
import { formatEndpoint } from '@/lib/net/ip';
import { formatProbability } from '@/lib/trace/core/outcome';
import type { Classified } from './classify';
import { OWNER_TEXT } from './owner';

export interface SentenceExtras {
  /** Share of new connections, when the question has several outcomes. */
  share?: number;
  /** Nodes on this outcome's path whose kube-proxy lags the API. */
  lagging?: string[];
}

function ruleText(r: AnswerRule): string {
  const where = r.line ? `${r.table} ${r.chain} line ${r.line}` : `${r.table} ${r.chain} policy`;
  const name = r.name ? ` '${r.name}'` : '';
  const whose =
    r.owner === 'kube-proxy'
      ? `kube-proxy${name}`
      : r.owner === 'unknown'
        ? `owner unknown${name}`
        : `${OWNER_TEXT[r.owner]}${name}, not kube-proxy`;
  return `${where} (${whose})`;
}

function podText(p: AnswerPod): string {
  const who = p.name ? `${p.namespace}/${p.name} ` : '';
  return `${who}${formatEndpoint(p.ip, p.port)}${p.node ? ` on ${p.node}` : ''}`;
}

function dnatText(c: Classified): string {
  const leg = c.dnatLeg;
  if (!leg || !c.dnatTo) return '';
  const target = c.pod ? podText(c.pod) : c.dnatTo;
  const by = c.nodes.length > 1 || (c.pod?.node && c.pod.node !== leg.node) ? ` (DNAT on ${leg.node})` : '';
  return ` after DNAT to ${target}${by}`;
}

const masqText = (c: Classified): string => (c.masqueradedOn ? `, masqueraded on ${c.masqueradedOn}` : '');

function dst(c: Classified): string {
  const q = c.chain.legs[0].arrives;
  return `${formatEndpoint(q.dst, q.port)}/${q.proto}`;
}

function core(c: Classified): string {
  const last = c.chain.legs[c.chain.legs.length - 1];
  const stop = c.chain.stop;
  switch (c.reason) {
    case 'rule-drop':
      return `✗ dropped on ${c.node} at ${ruleText(c.rule!)}${dnatText(c)}${masqText(c)}; the client times out`;
    case 'rule-reject':
      return `✗ rejected on ${c.node} at ${ruleText(c.rule!)}${dnatText(c)}; the client sees "connection refused" at once`;
    case 'no-route':
      if (c.rule)
        return `✗ ${c.answer} on ${c.node} by its routing table (${c.rule.raw || 'route'})${dnatText(c)}; the client ${c.answer === 'rejected' ? 'sees an ICMP unreachable' : 'times out'}`;
      if (stop.kind === 'loop') return `✗ no answer: the packet loops between ${c.nodes.join(' → ')}${dnatText(c)}`;
      if (c.dnatLeg)
        return `✗ no answer: ${c.dnatLeg.node} DNATs to ${c.pod ? podText(c.pod) : c.dnatTo} but ${c.node} has no route to it in its captured routing table; the client times out or sees "network unreachable"`;
      return `✗ no answer: ${c.node} has no route for ${last.outcome?.to ?? dst(c)} in its captured routing table; the client times out or sees "network unreachable"`;
    case 'no-service':
      return `✗ no answer: ${dst(c)} is in the Service range but no Service owns it; ${c.node} does not DNAT it (no kube-proxy rule matches), so nothing answers; the client times out`;
    case 'unexposed-port': {
      const q = c.chain.legs[0].arrives;
      return `✗ no answer: ${q.dst} belongs to a Service that does not expose ${q.port}/${q.proto}; ${c.node} does not DNAT it (no kube-proxy rule matches), so nothing answers; the client times out`;
    }
    case 'missing-rules': {
      const q = c.chain.legs[0].arrives;
      return `✗ no answer: ${dst(c)} belongs to a Service that exposes ${q.port}/${q.proto}, but ${c.node} has no kube-proxy rule for it (its kube-proxy lags the API or is not running), so it is not DNATed and nothing answers; the client times out`;
    }
    case 'external-undnated':
      return `✗ no answer: ${dst(c)} is a Service's external/LB address, and ${c.node} forwards it un-DNATed (no kube-proxy rule matched), so nothing answers; the client times out`;
    case 'mark-drop-unenforced': {
      const m = stop.kind === 'mark-drop' ? stop.mark : undefined;
      const why = !m
        ? ''
        : !m.setsMark
          ? `KUBE-MARK-DROP on ${c.node} is empty (sets no mark) and no rule drops mark 0x8000`
          : m.enforcer
            ? `the rule that drops mark 0x8000 (filter ${m.enforcer.chain} line ${m.enforcer.line}) is not on this packet's path`
            : `no rule on ${c.node} drops packets with mark 0x8000/0x8000`;
      return `✗ no answer: kube-proxy asked for a drop on ${c.node} at ${ruleText(c.rule!)} → KUBE-MARK-DROP, and nothing enforces it (${why}); ${last.outcome?.path === 'local' ? `the packet goes on un-DNATed to ${c.node}'s own ${dst(c)}, where no Service answers (only a process listening on that port would)` : `the packet goes on un-DNATed to ${dst(c)} and nothing answers; the client times out`}`;
    }
    case 'stale-endpoint':
      return `✗ no answer: ${c.dnatLeg?.node ?? c.node} DNATs to ${c.pod ? formatEndpoint(c.pod.ip, c.pod.port) : last.outcome?.to}${c.service ? ` (${c.service})` : ''}${c.rule?.line ? ` at ${c.rule.table} ${c.rule.chain} line ${c.rule.line}` : ''}, an address no pod has (stale rule); the client times out`;
    case 'not-collected':
      return `? not known: the packet reaches ${c.node}, which was not collected; the trace stops there${dnatText(c)}`;
    case 'return-path':
      return `✗ no answer: the reply cannot come back the way it must`;
    case 'delivered': {
      if (stop.kind === 'node-local')
        return `✓ delivered to ${c.node} itself (${last.outcome?.to ?? dst(c)}, a process or hostNetwork pod on the node must listen)${dnatText(c)}${masqText(c)}`;
      if (stop.kind === 'external' && !c.podsKnown)
        return `✓ leaves ${c.node}${stop.device ? ` via ${stop.device}` : ''}${stop.gateway ? ` to ${stop.gateway}` : ''} for ${last.outcome?.to ?? dst(c)}${c.dnatLeg ? ` after DNAT on ${c.node}${c.service ? ` (${c.service})` : ''}` : ''}${masqText(c)}; only this node's captures were given, so the rest of the path (the endpoint's node and its rules) is not traced`;
      if (stop.kind === 'external')
        return `✓ leaves ${c.node}${stop.device ? ` via ${stop.device}` : ''}${stop.gateway ? ` to ${stop.gateway}` : ''} for ${last.outcome?.to ?? dst(c)}, outside the cluster (not traced further)${dnatText(c)}${masqText(c)}`;
      const p = c.pod;
      const to = p ? podText(p) : stop.kind === 'pod' ? formatEndpoint(stop.ip, stop.port) : '';
      const path = c.nodes.length > 1 ? ` via ${c.nodes.join(' → ')}` : '';
      const dnatOn = c.dnatLeg ? ` after DNAT on ${c.dnatLeg.node}${c.service ? ` (${c.service})` : ''}` : '';
      return `✓ delivered to ${to}${path}${dnatOn}${masqText(c)}`;
    }
  }
}

export function sentenceOf(c: Classified, extras: SentenceExtras = {}): string {
  let s = core(c);
  if (extras.lagging?.length) s += `; ${extras.lagging.map((n) => `${n}'s kube-proxy lags the API`).join(', ')}`;
  if (extras.share !== undefined && extras.share < 1) s += ` (${formatProbability(extras.share)} of new connections)`;
  return s;
}
