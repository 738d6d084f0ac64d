import Link from 'next/link';
import type { EndpointSliceModel } from '@/lib/model/k8s';

const yes = (b: boolean, bad = false) => (
  <span className={`badge ${b ? 'ok' : bad ? 'bad' : ''}`}>{b ? 'yes' : 'no'}</span>
);

/** EndpointSlices with the ready / serving / terminating conditions kube-proxy selects on. */
export function EndpointSlices({ slices }: { slices: EndpointSliceModel[] }) {
  if (slices.length === 0)
    return <p className="badge bad">No EndpointSlices: kube-proxy writes REJECT for this Service.</p>;
  return (
    <>
      {slices.map((es) => (
        <section key={es.name} className="card" aria-label={`EndpointSlice ${es.name}`}>
          <h3>
            {es.name}{' '}
            <span className="muted">
              {es.addressType} · {es.apiVersion} · ports{' '}
              {es.ports.map((p) => `${p.name ?? ''} ${p.port}/${p.protocol}`).join(', ')}
            </span>
          </h3>
          {es.endpoints.length === 0 ? (
            <p className="badge bad">no endpoints</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Address</th>
                  <th>Pod</th>
                  <th>Node</th>
                  <th>ready</th>
                  <th>serving</th>
                  <th>terminating</th>
                </tr>
              </thead>
              <tbody>
                {es.endpoints.map((e) => (
                  <tr key={e.addresses.join(',')}>
                    <td className="mono">{e.addresses.join(', ')}</td>
                    <td>
                      {e.targetRef ? `${e.targetRef.namespace ?? es.namespace}/${e.targetRef.name}` : '—'}
                      {e.targetRef?.kind === 'Pod' && (
                        <>
                          {' '}
                          <Link
                            href={`/dns?${new URLSearchParams({ pod: `${e.targetRef.namespace ?? es.namespace}/${e.targetRef.name}` })}`}
                          >
                            Resolve a name from this pod
                          </Link>
                        </>
                      )}
                    </td>
                    <td>{e.nodeName ?? '—'}</td>
                    <td>{yes(e.ready, true)}</td>
                    <td>{yes(e.serving, true)}</td>
                    <td>{e.terminating ? <span className="badge warn">yes</span> : yes(false)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </>
  );
}
