import type { DnsExplanation } from '@/lib/model/dns';

/**
 * The graph's text equivalent: every candidate name in order, each query sent with who answered
 * and what. Screen readers read it and the e2e test compares it with `kubepath dns --json`.
 */
export function DnsQueryList({ e }: { e: Pick<DnsExplanation, 'steps' | 'queries' | 'transport'> }) {
  return (
    <section className="card" aria-label="candidates and queries">
      <h2>Candidates and queries</h2>
      <p className="muted">{e.transport}</p>
      <ol aria-label="candidate names">
        {e.steps.map((s, si) => (
          <li key={si} data-fqdn={s.candidate.fqdn} data-outcome={s.outcome} data-decision={s.decision}>
            <code>{s.candidate.fqdn}</code>{' '}
            <span className="muted">
              ({s.candidate.reason}
              {s.candidate.searchDomain ? ` ${s.candidate.searchDomain}` : ''})
            </span>{' '}
            ⇒ <strong>{s.outcome}</strong>: {s.decision} — {s.why}
          </li>
        ))}
      </ol>
      <h3>Queries sent ({e.queries.length})</h3>
      <ol role="list" aria-label="DNS queries">
        {e.queries.map((q, i) => (
          <li
            key={i}
            data-name={q.name}
            data-type={q.type}
            data-rcode={q.rcode}
            data-via={q.via}
            data-nameserver={q.nameserver}
            data-answers={q.answers.map((a) => `${a.type} ${a.data}`).join(',')}
          >
            <code>
              {q.type} {q.name}
            </code>{' '}
            @{q.nameserver} → <strong>{q.rcode}</strong>
            {q.answers.length > 0 && (
              <>
                {' '}
                <code>{q.answers.map((a) => `${a.type} ${a.data}`).join(', ')}</code>
              </>
            )}{' '}
            <span className="badge">{q.via}</span>{' '}
            <span className="muted">
              {q.detail}
              {q.forwardedTo ? ` (to ${q.forwardedTo.join(', ')})` : ''}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
