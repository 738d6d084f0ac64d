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
const FREQUENT = ['comment', 'tcp', 'udp', 'statistic', 'mark', 'conntrack', 'addrtype', 'recent', 'multiport', 'set', 'physdev', 'sctp'];
const MODULES = [...FREQUENT, ...[...KNOWN_MATCHES].filter((m) => !FREQUENT.includes(m))].map(escape).join('|');

/** The canonical line; `family` captures the -s and -d values (groups 1, 2) to look for IPv6. The target is the last group. */
function canonical(family: boolean): RegExp {
  const source =
    `[ \\t]*-A ${BARE}` +
    header('s', family) + header('d', family) + header('i', false) + header('o', false) + header('p', false) + '(?: (?:! )?-f)?' +
    `(?: -m (?:${MODULES})${WORD_END}${OPTIONS})*` +
    `(?: -[jg] (${BARE})${OPTIONS})?` +
    '(?![^\\n])';
  // Sticky: matched in place at a line's start inside the whole dump, no slicing.
  return new RegExp(source, 'y');
}
const PLAIN = canonical(false);
const WITH_FAMILY = canonical(true);

/** One result object, overwritten per call (the caller copies what it keeps): no allocation per line. */
const OUT: RuleCheck = { chain: '', ipv6Address: false, error: undefined, target: undefined, unknownModules: undefined, binary: false };

/**
 * Checks `text[from, end)` against the canonical shape. Returns the check (never an error)
 * when the line is in that shape, or null: then checkRule must decide. The result object is
 * reused by the next call, and its `chain` is left empty: the caller finds the chain from the
 * text (the word after `-A `) without slicing it. The -s/-d values are only captured while
 * `needFamily`, i.e. until the dump's family is known.
 */
export function fastCheckRule(text: string, from: number, end: number, needFamily: boolean): RuleCheck | null {
  const re = needFamily ? WITH_FAMILY : PLAIN;
  re.lastIndex = from;
  const m = re.exec(text);
  if (m === null || re.lastIndex !== end) return null;
  OUT.ipv6Address = needFamily && ((m[1] !== undefined && m[1].includes(':')) || (m[2] !== undefined && m[2].includes(':')));
  OUT.target = m[needFamily ? 3 : 1];
  OUT.chain = '';
  return OUT;
}
