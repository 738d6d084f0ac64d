/**
 * API-vs-node drift for one Service port on one node: which endpoints kube-proxy *should* have
 * programmed (from the EndpointSlices, with kube-proxy's own endpoint selection rules) against
 * which endpoints the node's rules actually reach (from the tracer's outcomes).
 */
import type { EndpointSliceModel, ServiceModel, ServicePortModel } from '@/lib/model/k8s';
import type { Outcome } from '@/lib/model/trace';
import type { PortDrift } from '@/lib/model/cluster';

function fmt(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * kube-proxy §1.3: the cluster pool is all ready endpoints, falling back to serving+terminating;
 * with internalTrafficPolicy=Local only endpoints whose nodeName is this node count.
 */
export function expectedEndpoints(
  svc: ServiceModel,
  port: ServicePortModel,
  slices: EndpointSliceModel[],
  node: string,
): { list: string[]; anyEndpoint: boolean } {
  const all: { addr: string; ready: boolean; fallback: boolean; local: boolean }[] = [];
  for (const es of slices) {
    const p =
      es.ports.find((x) => (x.name ?? '') === (port.name ?? '') && x.protocol === port.protocol) ??
      (es.ports.length === 1 ? es.ports[0] : undefined);
    if (!p) continue;
    for (const e of es.endpoints) {
      for (const a of e.addresses.slice(0, 1))
        all.push({
          addr: fmt(a, p.port),
          ready: e.ready,
          fallback: e.serving && e.terminating,
          local: e.nodeName === node,
        });
    }
  }
  const pick = (xs: typeof all) => {
    const ready = xs.filter((x) => x.ready);
    return (ready.length ? ready : xs.filter((x) => x.fallback)).map((x) => x.addr);
  };
  const cluster = pick(all);
  const list = svc.internalTrafficPolicy === 'Local' ? pick(all.filter((x) => x.local)) : cluster;
  return { list: [...new Set(list)].sort(), anyEndpoint: cluster.length > 0 };
}

/**
 * The endpoint a Service rule DNATed this outcome to. A DNATed packet can still be dropped later
 * (e.g. a blackhole route for a deleted pod), so the rule's target counts even when `to` is null.
 */
function dnatTarget(o: Outcome): string | undefined {
  if (o.verdict === 'dnat' && o.to) return o.to;
  const step = [...o.steps].reverse().find((s) => s.effect === 'dnat');
  return step?.label?.endpoint ?? step?.raw.match(/--to-destination\s+(\S+)/)?.[1];
}

export function portDrift(
  svc: ServiceModel,
  port: ServicePortModel,
  slices: EndpointSliceModel[],
  node: string,
  outcomes: Outcome[],
): PortDrift {
  const { list: expected, anyEndpoint } = expectedEndpoints(svc, port, slices, node);
  const actual = [...new Set(outcomes.map(dnatTarget).filter((t): t is string => !!t))].sort();
  const expectedVerdict = expected.length ? 'dnat' : anyEndpoint ? 'drop' : 'reject';
  const actualVerdicts = [...new Set(outcomes.map((o) => o.verdict))];
  const missing = expected.filter((e) => !actual.includes(e));
  const extra = actual.filter((a) => !expected.includes(a));
  const verdictMismatch =
    expected.length === 0 && !(actualVerdicts.length === 1 && actualVerdicts[0] === expectedVerdict);
  return {
    expected,
    actual,
    missing,
    extra,
    expectedVerdict,
    actualVerdicts,
    drift: missing.length > 0 || extra.length > 0 || verdictMismatch,
  };
}
