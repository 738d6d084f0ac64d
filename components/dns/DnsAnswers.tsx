import Link from 'next/link';
import type { DnsAnswerLink } from '@/lib/wire/dns';

/** The addresses getaddrinfo returned; a ClusterIP answer links straight into the packet trace from the pod. */
export function DnsAnswers({ status, answers, podIp }: { status: string; answers: DnsAnswerLink[]; podIp?: string }) {
  return (
    <section className="card" aria-label="answer">
      <h2>Answer: {answers.length ? answers.map((a) => a.address).join(', ') : status}</h2>
      {answers.length === 0 && (
        <p className="badge bad" data-testid="dns-status">
          {status}
        </p>
      )}
      <ul role="list" aria-label="answer addresses">
        {answers.map((a) => (
          <li key={a.address} data-address={a.address} data-service={a.service ?? ''}>
            <code>{a.address}</code>
            {a.service && (
              <>
                {' '}
                — ClusterIP of Service <strong>{a.service}</strong>
              </>
            )}{' '}
            {a.traceHref ? (
              <Link className="button" href={a.traceHref}>
                Trace {podIp ?? 'the pod'} → {a.address}:{a.port}/{a.proto}
              </Link>
            ) : (
              <span className="muted">({a.why})</span>
            )}
            {a.traceHref && (
              // Another port: the same question with the user's port/protocol, still a plain GET.
              <form
                method="get"
                action="/trace"
                className="row"
                style={{ display: 'inline-flex', marginLeft: '.5rem' }}
                aria-label={`trace ${a.address} on another port`}
              >
                {[...new URL(a.traceHref, 'http://x').searchParams]
                  .filter(([k]) => k !== 'port' && k !== 'proto')
                  .map(([k, v]) => (
                    <input key={k} type="hidden" name={k} value={v} />
                  ))}
                <input name="port" defaultValue={a.port} size={6} aria-label="port" />
                <select name="proto" defaultValue={a.proto} aria-label="protocol">
                  <option value="tcp">tcp</option>
                  <option value="udp">udp</option>
                  <option value="sctp">sctp</option>
                </select>
                <button type="submit" className="secondary">
                  Trace this port
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
