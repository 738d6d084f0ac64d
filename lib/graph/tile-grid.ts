/**
 * Places the tiles of an expanded fan-out (one per endpoint) in a grid inside their frame, in the
 * order given (the trace's order: the order kube-proxy's rules pick endpoints in), row by row.
 * The grid is shaped towards `aspect` (width / height) so a frame of 500 tiles fits the canvas
 * instead of becoming a column 30,000 pixels tall.
 */

export interface TileGrid {
  /** The frame's body: the tiles plus padding. */
  w: number;
  h: number;
  /** Centre of each tile, relative to the centre of the body, in input order. */
  offsets: { x: number; y: number }[];
}

/** Space inside the frame around the tiles. */
export const FRAME_PADDING = 12;
const GAP = 10;

export function tileGrid(sizes: { w: number; h: number }[], aspect: number): TileGrid {
  const n = sizes.length;
  if (!n) return { w: 2 * FRAME_PADDING, h: 2 * FRAME_PADDING, offsets: [] };
  // Uniform cells keep rows and columns straight, which is what makes a grid scannable.
  const cw = Math.max(...sizes.map((s) => s.w));
  const ch = Math.max(...sizes.map((s) => s.h));
  // cols·(cw+gap) / (rows·(ch+gap)) ≈ aspect with rows = n / cols.
  const cols = Math.min(n, Math.max(1, Math.round(Math.sqrt((aspect * n * (ch + GAP)) / (cw + GAP)))));
  const rows = Math.ceil(n / cols);
  const gridW = cols * cw + (cols - 1) * GAP;
  const gridH = rows * ch + (rows - 1) * GAP;
  const x0 = -gridW / 2 + cw / 2;
  const y0 = -gridH / 2 + ch / 2;
  const offsets = sizes.map((_, i) => ({ x: x0 + (i % cols) * (cw + GAP), y: y0 + Math.floor(i / cols) * (ch + GAP) }));
  return { w: gridW + 2 * FRAME_PADDING, h: gridH + 2 * FRAME_PADDING, offsets };
}
