/**
 * Compares a predicted distribution with what N real connections did. Rules (the kernel is right):
 * - a category the prediction excludes (p = 0) must never be observed;
 * - a category with probability p must be seen k times with |k − N·p| ≤ 5·σ, σ = √(N·p·(1−p))
 *   (so p = 1 means all N, and an endpoint at 1/3 of 60 connections needs 2..38 hits).
 * 5σ rather than 4σ: a full kernel run makes ~250 such checks, so 4σ (6e-5 each) would fail a
 * correct run about 1.5% of the time; 5σ (6e-7 each) keeps that near 0.01%, and a wrong split
 * (e.g. 0.9/0.1 for 0.5/0.5, or a masquerade mistake) is still far outside (sanity.test.ts).
 */
import type { Prediction } from './prediction';

export interface Observation {
  total: number;
  /** category → count, same keys as a Prediction. */
  counts: Map<string, number>;
}

/** Tolerance in standard deviations. */
export const SIGMAS = 5;

/** Returns human-readable discrepancies; empty when the prediction explains the observation. */
export function compareWithObservation(pred: Prediction, obs: Observation, who: string): string[] {
  const problems: string[] = [];
  const sum = [...pred.values()].reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) problems.push(`${who}: probabilities sum to ${sum.toFixed(6)}, not 1`);
  const keys = new Set([...pred.keys(), ...obs.counts.keys()]);
  for (const key of [...keys].sort()) {
    const p = pred.get(key) ?? 0;
    const k = obs.counts.get(key) ?? 0;
    const n = obs.total;
    if (p <= 1e-9) {
      if (k > 0) problems.push(`${who}: kernel gave ${key} ${k}/${n} times but ${who} excludes it`);
      continue;
    }
    const mean = n * p;
    const sigma = Math.sqrt(n * p * (1 - p));
    const tol = SIGMAS * sigma + 1e-9;
    if (Math.abs(k - mean) > tol) {
      problems.push(
        `${who}: ${key} predicted p=${p.toFixed(3)} (${mean.toFixed(1)}±${tol.toFixed(1)} of ${n}) but kernel gave ${k}`,
      );
    }
  }
  return problems;
}

/** Renders a distribution compactly for reports: `pod-a@10.1.1.1=0.333 timeout=0.667`. */
export function formatPrediction(pred: Prediction): string {
  return [...pred.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, p]) => `${k}=${p.toFixed(3)}`)
    .join(' ');
}

/** Renders an observation: `pod-a@10.1.1.1:21 timeout:39`. */
export function formatObservation(obs: Observation): string {
  return [...obs.counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}:${n}`)
    .join(' ');
}

/**
 * Session affinity (`-m recent --rcheck` / nft affinity sets): the first connection from a source
 * picks an endpoint at random and every later one sticks to it. So all N connections must land
 * on ONE category, and that category must be one the prediction allows.
 */
export function compareSticky(pred: Prediction, obs: Observation, who: string): string[] {
  const seen = [...obs.counts.entries()].filter(([, n]) => n > 0);
  const problems: string[] = [];
  if (seen.length !== 1)
    problems.push(
      `${who}: affinity should pin all ${obs.total} connections to one outcome, kernel spread them: ${formatObservation(obs)}`,
    );
  for (const [key, n] of seen) {
    if ((pred.get(key) ?? 0) <= 1e-9)
      problems.push(`${who}: kernel gave ${key} ${n}/${obs.total} times but ${who} excludes it`);
  }
  return problems;
}
