import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FRAME_PADDING, tileGrid } from './tile-grid';

describe('tileGrid', () => {
  it('lays tiles row by row in input order, inside the frame padding, never overlapping (random sizes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ w: fc.integer({ min: 20, max: 300 }), h: fc.integer({ min: 20, max: 90 }) }), {
          minLength: 1,
          maxLength: 120,
        }),
        fc.double({ min: 0.2, max: 4, noNaN: true }),
        (sizes, aspect) => {
          const g = tileGrid(sizes, aspect);
          expect(g.offsets).toHaveLength(sizes.length);
          g.offsets.forEach((o, i) => {
            const s = sizes[i];
            expect(o.x - s.w / 2).toBeGreaterThanOrEqual(-g.w / 2 + FRAME_PADDING - 1e-9);
            expect(o.x + s.w / 2).toBeLessThanOrEqual(g.w / 2 - FRAME_PADDING + 1e-9);
            expect(o.y - s.h / 2).toBeGreaterThanOrEqual(-g.h / 2 + FRAME_PADDING - 1e-9);
            expect(o.y + s.h / 2).toBeLessThanOrEqual(g.h / 2 - FRAME_PADDING + 1e-9);
            if (i > 0) {
              const p = g.offsets[i - 1];
              // Next in the row (to the right) or first of the next row (below).
              expect(o.y > p.y || (o.y === p.y && o.x > p.x)).toBe(true);
            }
            for (let j = 0; j < i; j++) {
              const q = g.offsets[j];
              expect(
                Math.abs(o.x - q.x) >= (s.w + sizes[j].w) / 2 || Math.abs(o.y - q.y) >= (s.h + sizes[j].h) / 2,
              ).toBe(true);
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('shapes 500 tiles towards the asked aspect instead of one column', () => {
    const sizes = Array.from({ length: 500 }, () => ({ w: 220, h: 70 }));
    for (const aspect of [0.6, 1.6]) {
      const g = tileGrid(sizes, aspect);
      expect(g.w / g.h).toBeGreaterThan(aspect / 1.3);
      expect(g.w / g.h).toBeLessThan(aspect * 1.3);
    }
  });

  it('one tile is centred in its frame; no tiles leave an empty frame', () => {
    const g = tileGrid([{ w: 100, h: 40 }], 1.6);
    expect(g).toEqual({ w: 100 + 2 * FRAME_PADDING, h: 40 + 2 * FRAME_PADDING, offsets: [{ x: 0, y: 0 }] });
    expect(tileGrid([], 1).offsets).toEqual([]);
  });
});
