import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareWithObservation, formatObservation, formatPrediction } from './compare';
import type { Observation } from './compare';

const obs = (total: number, entries: [string, number][]): Observation => ({ total, counts: new Map(entries) });
const pred = (entries: [string, number][]) => new Map(entries);

describe('compareWithObservation', () => {
  it('accepts a split inside 5σ', () => {
    expect(
      compareWithObservation(
        pred([
          ['a', 0.5],
          ['b', 0.5],
        ]),
        obs(60, [
          ['a', 22],
          ['b', 38],
        ]),
        't',
      ),
    ).toEqual([]);
  });

  it('flags a split outside 5σ (60 × 1/2 → 30 ± 19.4)', () => {
    const p = compareWithObservation(
      pred([
        ['a', 0.5],
        ['b', 0.5],
      ]),
      obs(60, [
        ['a', 9],
        ['b', 51],
      ]),
      't',
    );
    expect(p).toHaveLength(2);
    expect(p[0]).toContain('a predicted p=0.500');
  });

  it('flags an endpoint the prediction excludes, even once', () => {
    const p = compareWithObservation(
      pred([['a', 1]]),
      obs(60, [
        ['a', 59],
        ['timeout', 1],
      ]),
      'tracer',
    );
    expect(p).toContain('tracer: kernel gave timeout 1/60 times but tracer excludes it');
  });

  it('p = 1 means every connection', () => {
    expect(
      compareWithObservation(
        pred([['refused', 1]]),
        obs(12, [
          ['refused', 11],
          ['timeout', 1],
        ]),
        't',
      ),
    ).toHaveLength(2);
    expect(compareWithObservation(pred([['refused', 1]]), obs(12, [['refused', 12]]), 't')).toEqual([]);
  });

  it('flags a predicted endpoint that never answered', () => {
    const p = compareWithObservation(
      pred([
        ['a', 1 / 3],
        ['b', 1 / 3],
        ['c', 1 / 3],
      ]),
      obs(60, [
        ['a', 30],
        ['b', 30],
      ]),
      't',
    );
    // 0 of an expected 20 ± 18.3 is outside
    expect(p.some((x) => x.includes('c predicted'))).toBe(true);
  });

  it('flags probabilities that do not sum to 1', () => {
    expect(
      compareWithObservation(
        pred([['a', 0.5]]),
        obs(10, [
          ['a', 5],
          ['timeout', 5],
        ]),
        't',
      )[0],
    ).toContain('sum to 0.500000');
  });

  it('property: counts at the expectation always pass; moving all mass to an excluded key always fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 10, max: 200 }), (k, n) => {
        const keys = Array.from({ length: k }, (_, i) => `ep${i}`);
        const p = pred(keys.map((x) => [x, 1 / k]));
        const base = Math.floor(n / k);
        const counts: [string, number][] = keys.map((x, i) => [x, base + (i < n - base * k ? 1 : 0)]);
        expect(compareWithObservation(p, obs(n, counts), 't')).toEqual([]);
        expect(compareWithObservation(p, obs(n, [['elsewhere', n]]), 't').length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('formatting', () => {
  it('is sorted and compact', () => {
    expect(
      formatPrediction(
        pred([
          ['b', 0.25],
          ['a', 0.75],
        ]),
      ),
    ).toBe('a=0.750 b=0.250');
    expect(
      formatObservation(
        obs(4, [
          ['timeout', 1],
          ['pod-a:80@1.1.1.1', 3],
        ]),
      ),
    ).toBe('pod-a:80@1.1.1.1:3 timeout:1');
  });
});
