import Link from 'next/link';
import { PendingMark } from '@/components/ui/PendingMark';
import type { ServiceModel } from '@/lib/model/k8s';
import { traceHref } from '@/lib/wire/trace-request';

/** Ports, addresses and policies of a Service, with a trace button on every ClusterIP and port. */
/** TEST-NET-2 address used as "a client outside the cluster" for NodePort / LB / external IP traces. */
const OUTSIDE = '198.51.100.7';

export function ServiceFacts({
  svc,
  defaultNodeIp,
  from,
}: {
  svc: ServiceModel;
  defaultNodeIp?: string;
  from?: string;
}) {
  const routable = svc.type !== 'ExternalName' && svc.clusterIPs[0] && svc.clusterIPs[0] !== 'None';
  // From outside, the nodes that answer the address are traced (the node owning a NodePort's IP,
  // every node for an LB / external IP); "Trace this ClusterIP" asks from which pod on the trace page.
  const outside = (ip: string, port: number, proto: string) =>
    traceHref({ src: OUTSIDE, dst: ip, port, proto: proto.toLowerCase() as 'tcp' });
  const href = (ip: string, port: number, proto: string) =>
    traceHref({ src: from, dst: ip, port, proto: proto.toLowerCase() as 'tcp' });
  return (
    <section className="card" aria-label="service facts">
      <p>
        <span className="badge">{svc.type}</span>
        {svc.externalTrafficPolicy && <span className="badge">externalTrafficPolicy: {svc.externalTrafficPolicy}</span>}
        {svc.internalTrafficPolicy && <span className="badge">internalTrafficPolicy: {svc.internalTrafficPolicy}</span>}
        <span className="badge">
          sessionAffinity: {svc.sessionAffinity ?? 'None'}
          {svc.sessionAffinity === 'ClientIP' ? ` (${svc.sessionAffinityTimeout ?? 10800}s)` : ''}
        </span>
        {svc.healthCheckNodePort ? <span className="badge">healthCheckNodePort: {svc.healthCheckNodePort}</span> : null}
      </p>
      {svc.type === 'ExternalName' && (
        <p>
          ExternalName → <code>{svc.externalName}</code> (DNS CNAME only; kube-proxy writes no rules)
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>Port</th>
            <th>Protocol</th>
            <th>Target</th>
            <th>NodePort</th>
            <th>ClusterIP(s)</th>
            <th>External / LB IPs</th>
          </tr>
        </thead>
        <tbody>
          {svc.ports.map((p) => (
            <tr key={`${p.name}:${p.port}:${p.protocol}`}>
              <td>
                {p.name ? `${p.name} ` : ''}
                {p.port}
              </td>
              <td>{p.protocol}</td>
              <td>{String(p.targetPort ?? p.port)}</td>
              <td>
                {p.nodePort ?? '—'}
                {p.nodePort && defaultNodeIp ? (
                  <>
                    {' '}
                    <Link
                      href={outside(defaultNodeIp, p.nodePort, p.protocol)}
                      aria-label={`Trace NodePort ${p.nodePort} from outside`}
                    >
                      trace from outside
                    </Link>
                  </>
                ) : null}
              </td>
              <td>
                {svc.clusterIPs.map((ip) => (
                  <div key={ip}>
                    <code>{ip}</code>{' '}
                    {routable && ip !== 'None' && (
                      <Link
                        className="button"
                        href={href(ip, p.port, p.protocol)}
                        aria-label={`Trace this ClusterIP ${ip}:${p.port}/${p.protocol}`}
                      >
                        Trace this ClusterIP
                        <PendingMark />
                      </Link>
                    )}
                  </div>
                ))}
              </td>
              <td>
                {[...svc.externalIPs, ...svc.loadBalancerIPs].map((ip) => (
                  <div key={ip}>
                    <code>{ip}</code>{' '}
                    <Link href={outside(ip, p.port, p.protocol)} aria-label={`Trace ${ip}:${p.port} from outside`}>
                      trace from outside
                    </Link>
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {svc.loadBalancerSourceRanges.length > 0 && (
        <p>
          loadBalancerSourceRanges: <code>{svc.loadBalancerSourceRanges.join(', ')}</code>
        </p>
      )}
    </section>
  );
}
