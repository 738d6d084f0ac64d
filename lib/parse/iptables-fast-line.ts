/**
 * A fast path in front of checkRule (iptables-validate.ts) for the lines iptables-save itself
 * writes. iptables-save prints every rule in one canonical shape: `-A CHAIN`, then the header
 * options in the fixed order -s -d -i -o -p -f (each at most once, `!` before the option), then
 * `-m MODULE` blocks with `--option values...`, then at most one `-j/-g TARGET` with its
 * `--options`, single spaces, values quoted only as whole words. That shape is a regular
 * language, and V8 runs a regular expression over it in native code several times faster than
 * the char-code scanner can walk it in JavaScript (measured on the 10k-Service bench dump).
 *
 * The expression only ever ACCEPTS: a line it matches is one checkRule accepts with the same
 * chain, target and address family and no unknown module. Anything else (a typo, a hand-written
 * rule in another order, tabs, escapes, an unknown module, binary bytes...) is not matched and
 * goes to checkRule, which gives the exact error. The agreement is property-tested.
 */
import { KNOWN_MATCHES } from '@/lib/parse/iptables-known';
import type { RuleCheck } from '@/lib/parse/iptables-validate';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A bare word that checkRule reads as a value: no control byte, space, quote; not `!...` or `-...`. */
const BARE = '[^\\x00-\\x20"!\\x7f-][^\\x00-\\x20"\\x7f]*';
/** A whole-word quoted value without escapes or control bytes. */
const QUOTED = '"[^"\\\\\\x00-\\x1f\\x7f]*"';
const VALUE = `(?:${BARE}|${QUOTED})`;
/** The word ends here (a space, the line end or the input end). */
const WORD_END = '(?![^ \\n])';
/** Long spellings of header options: checkRule reads these as -s/-m/-j..., never as a module option. */
const BASIC_LONG = `(?:source|src|destination|dst|in-interface|out-interface|protocol|fragment|match|jump|goto|set-counters)${WORD_END}`;
/** Module or target options: ` [! ]--name value...`. */
const OPTIONS = `(?: (?:! )?--(?!${BASIC_LONG})[^\\x00-\\x20"!\\x7f][^\\x00-\\x20"\\x7f]*(?: ${VALUE})*)*`;
const header = (flag: string, capture: boolean) => `(?: (?:! )?-${flag} ${capture ? `(${BARE})` : BARE})?`;
/** Most frequent first (kube-proxy, Calico), then the rest; the word-end check makes the order a matter of speed only. */
const FREQUENT = [
  'comment',
  'tcp',
  'udp',
  'statistic',
  'mark',
  'conntrack',
  'addrtype',
  'recent',
  'multiport',
  'set',
  'physdev',
  'sctp',
];
const MODULES = [...FREQUENT, ...[...KNOWN_MATCHES].filter((m) => !FREQUENT.includes(m))].map(escape).join('|');

/** The canonical line. `family` captures the -s and -d values (groups 1, 2) to look for IPv6;
 *  `target` captures the target (the last group). */
function canonical(family: boolean, target: boolean): RegExp {
  // Sticky: matched in place at a line's start inside the whole dump, no slicing.
  return new RegExp(head(family) + tail(target), 'y');
}
/** Everything before the target: `-A CHAIN`, the header options, the `-m` blocks. */
function head(family: boolean): string {
  return (
    `[ \\t]*-A ${BARE}` +
    header('s', family) +
    header('d', family) +
    header('i', false) +
    header('o', false) +
    header('p', false) +
    '(?: (?:! )?-f)?' +
    `(?: -m (?:${MODULES})${WORD_END}${OPTIONS})*`
  );
}
/** The optional target and its options, then the line end. */
function tail(target: boolean): string {
  return `(?: -[jg] ${target ? `(${BARE})` : BARE}${OPTIONS})?(?![^\\n])`;
}
/**
 * The shape in two halves, matched one after the other: HEAD's greedy match stops exactly where
 * ` -j` / ` -g` (or the line end) must follow, because no word HEAD reads can begin with `-j`/`-g`
 * (values never start with '-', options start with "--"), so it ends on the same boundary the
 * whole expression would. Its lastIndex then gives the target's position in native code: no
 * capture array, no scan of the line in JavaScript.
 */
const HEAD = new RegExp(head(false), 'y');
const TAIL = new RegExp(tail(false), 'y');
const WITH_FAMILY = canonical(true, true);

/** What the fast path found. The target is either a string (`target`) or, when `target` is
 *  undefined, the span [targetStart, targetEnd) of the text (targetStart -1: no target). */
export interface FastCheck extends RuleCheck {
  targetStart: number;
  targetEnd: number;
}

/** One result object, overwritten per call (the caller copies what it keeps): no allocation per line. */
const OUT: FastCheck = {
  chain: '',
  ipv6Address: false,
  error: undefined,
  target: undefined,
  unknownModules: undefined,
  binary: false,
  targetStart: -1,
  targetEnd: -1,
};

/**
 * Checks `text[from, end)` against the canonical shape. Returns the check (never an error)
 * when the line is in that shape, or null: then checkRule must decide. The result object is
 * reused by the next call. Its `chain` is left empty and its target is usually a span: the
 * caller resolves both against the declared chains without slicing (a fresh string per line
 * and its hash were most of the cost). The -s/-d values are only captured while `needFamily`,
 * i.e. until the dump's family is known.
 */
export function fastCheckRule(text: string, from: number, end: number, needFamily: boolean): FastCheck | null {
  OUT.chain = '';
  OUT.target = undefined;
  OUT.targetStart = OUT.targetEnd = -1;
  OUT.ipv6Address = false;
  if (needFamily) {
    WITH_FAMILY.lastIndex = from;
    const m = WITH_FAMILY.exec(text);
    if (m === null || WITH_FAMILY.lastIndex !== end) return null;
    OUT.ipv6Address = (m[1] !== undefined && m[1].includes(':')) || (m[2] !== undefined && m[2].includes(':'));
    OUT.target = m[3];
    return OUT;
  }
  HEAD.lastIndex = from;
  if (!HEAD.test(text)) return null;
  const at = HEAD.lastIndex;
  if (at === end) return OUT; // no target
  TAIL.lastIndex = at;
  if (!TAIL.test(text) || TAIL.lastIndex !== end) return null;
  // text[at, at + 4) is ` -j ` / ` -g `; the target is one bare word.
  const nameEnd = text.indexOf(' ', at + 4);
  OUT.targetStart = at + 4;
  OUT.targetEnd = nameEnd < 0 || nameEnd > end ? end : nameEnd;
  return OUT;
}
