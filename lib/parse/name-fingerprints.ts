/**
 * A set of chain names keyed by a 64-bit fingerprint (two independent 32-bit hashes) in one
 * typed array, asked about a span of the input without slicing it out.
 *
 * Why: a kube-proxy dump declares ~60k chains and jumps to almost every one of them once. A
 * `Map<string, Chain>` lookup per jump target costs a fresh string plus several scattered memory
 * reads (the map's table, the key object, the key's characters far back in the 26 MB input) —
 * about 1 µs each on these machines, 100 ms per 10k-Service dump. Hashing the span in place and
 * probing one compact array costs a quarter of that.
 *
 * A fingerprint is not the name: two different names collide with probability 2^-64, so with
 * 60k declared chains an undeclared target is taken for declared about once in 3·10^14 dumps.
 * Only the parse-time "target is not a declared chain" issue depends on it; the tracer resolves
 * every jump by its exact name and reports a target it cannot find as an assumption.
 */

const EMPTY = 0;

/** The two hashes of the last fingerprint() call (module scope: no allocation per call). */
let H1 = 0;
let H2 = 0;

export class NameFingerprints {
  private slots: Int32Array; // pairs (h1 | 1, h2): h1 is never 0 in a used slot
  private mask: number;
  private count = 0;

  /** `expected`: how many names are likely (the table starts big enough, instead of doubling its way there). */
  constructor(expected = 2048) {
    let size = 4096;
    while (size < 2 * expected && size < 1 << 22) size *= 2;
    this.slots = new Int32Array(2 * size);
    this.mask = size - 1;
  }

  /** Adds `name` (idempotent). */
  add(name: string): void {
    this.addSpan(name, 0, name.length);
  }

  /** Adds text[start, end); false if it was already there (up to a fingerprint collision). */
  addSpan(text: string, start: number, end: number): boolean {
    fingerprint(text, start, end);
    return this.insert(H1, H2);
  }

  /** True if `name` was added (up to a 2^-64 fingerprint collision; never a false "no"). */
  has(name: string): boolean {
    return this.hasSpan(name, 0, name.length);
  }

  /** True if text[start, end) was added (up to a 2^-64 fingerprint collision). */
  hasSpan(text: string, start: number, end: number): boolean {
    fingerprint(text, start, end);
    const h1 = H1;
    const h2 = H2;
    const { slots, mask } = this;
    for (let i = h1 & mask; ; i = (i + 1) & mask) {
      const a = slots[2 * i];
      if (a === EMPTY) return false;
      if (a === h1 && slots[2 * i + 1] === h2) return true;
    }
  }

  private insert(h1: number, h2: number): boolean {
    if (2 * (this.count + 1) > this.mask + 1) this.grow();
    const { slots, mask } = this;
    for (let i = h1 & mask; ; i = (i + 1) & mask) {
      const a = slots[2 * i];
      if (a === h1 && slots[2 * i + 1] === h2) return false;
      if (a === EMPTY) {
        slots[2 * i] = h1;
        slots[2 * i + 1] = h2;
        this.count++;
        return true;
      }
    }
  }

  /** Doubles the table (kept at most half full, so probes stay short). */
  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = new Int32Array(2 * (this.mask + 1));
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== EMPTY) this.insert(old[i], old[i + 1]);
  }
}

/**
 * Two independent 32-bit hashes of text[start, end) in one pass, into H1 (odd, so never EMPTY)
 * and H2: FNV-1a, and a multiply-xorshift with another seed finished with murmur3's mix.
 */
function fingerprint(s: string, start: number, end: number): void {
  let a = 0x811c9dc5 | 0;
  let b = 0x9747b28c | 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  H1 = a | 1;
  H2 = b ^ (b >>> 16);
}
