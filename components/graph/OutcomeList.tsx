import { memo } from 'react';
import type { OutcomeText } from '@/lib/graph/outcome-text';
import { LazyDetails } from './LazyDetails';

/**
 * The graph's text equivalent: what screen readers read and what the e2e tests compare with the CLI.
 * Memoised: expanding a group redraws the graph, not the 500 items of this list.
 */
export const OutcomeList = memo(function OutcomeList({ node, outcomes }: { node: string; outcomes: OutcomeText[] }) {
  return (
    <section aria-label={`outcomes on ${node}`}>
      <h3>
        Outcomes on {node} ({outcomes.length})
      </h3>
      <ol className="outcomes" role="list" aria-label={`trace outcomes on ${node}`}>
        {outcomes.map((o, i) => (
          <li
            key={i}
            data-verdict={o.verdict}
            data-to={o.to ?? ''}
            data-probability={o.probability}
            data-masquerade={String(o.masquerade)}
            data-pod={o.pod ? `${o.pod.namespace}/${o.pod.name}` : ''}
            data-answer={o.answer ?? ''}
            data-stale={String(o.stale)}
          >
            {o.answer && (
              <span className={`badge answer answer-${o.answer}`}>{o.stale ? 'stale endpoint' : o.answer}</span>
            )}{' '}
            <span className="outcome-summary">{o.summary}</span>
            <LazyDetails summary={`${o.steps.length} steps`}>
              {() => (
                <ol>
                  {o.steps.map((s, j) => (
                    <li key={j} className="mono">
                      {s}
                    </li>
                  ))}
                </ol>
              )}
            </LazyDetails>
          </li>
        ))}
      </ol>
    </section>
  );
});
