import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapBounded } from './collect-ssh';

describe('mapBounded', () => {
  it('never runs more than `limit` at once, runs everything once, keeps input order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(5), { maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        async (delays, limit) => {
          let inFlight = 0;
          let peak = 0;
          const out = await mapBounded(delays, limit, async (d, i) => {
            peak = Math.max(peak, ++inFlight);
            await new Promise((r) => setTimeout(r, d));
            inFlight--;
            return i * 2;
          });
          expect(peak).toBeLessThanOrEqual(limit);
          expect(out).toEqual(delays.map((_, i) => i * 2));
        },
      ),
      { numRuns: 40 },
    );
  });
});
