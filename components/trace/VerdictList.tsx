import type { TraceResult } from '@/lib/model/trace';
import { formatProbability } from '@/lib/graph/graph-model';

/**
 * The answer first: one verdict sentence per outcome, with its share of new connections, above the
 * graph and without a click. Only `delivered` carries the success colour; a packet nothing answers
 * (no Service, unexposed port, stale endpoint, an unenforced drop) is its own colour, never green.
 */
export function VerdictList({ node, result }: { node: string; result: TraceResult }) {
  const outcomes = result.outcomes;
  return (
    <section aria-label={`verdict on ${node}`} data-testid="verdict">
      {outcomes.length === 0 && (
        <p className="verdict answer-unanswered">No outcome: nothing on {node} decides this packet.</p>
      )}
      <ol className="verdicts" role="list">
        {outcomes.map((o, i) => (
          <li
            key={i}
            className={`verdict answer-${o.answer ?? 'unknown'}`}
            data-answer={o.answer ?? ''}
            data-reason={o.detail?.reason ?? ''}
            data-probability={o.probability}
          >
            <span className="verdict-sentence">{o.sentence ?? `${o.verdict} ${o.to ?? ''}`}</span>
            {/* lib/question's sentence names its share when there are several outcomes; a missing sentence does not. */}
            {outcomes.length > 1 && !o.sentence && (
              <span className="verdict-share"> — {formatProbability(o.probability)} of new connections</span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A node that is not the source's own: an explicit what-if, in red, above its answer. */
export function WhatIfBanner({ text }: { text: string }) {
  return (
    <p className="what-if" role="note" data-testid="what-if">
      <strong>What-if:</strong> {text}. The real packet does not take this path.
    </p>
  );
}
