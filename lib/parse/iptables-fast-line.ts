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

/** The canonical line. `family` captures the -s and -d values (groups 1, 2) to look for IPv6;
 *  `target` captures the target (the last group). */
function canonical(family: boolean, target: boolean): RegExp {
  const source =
    `[ \\t]*-A ${BARE}` +
    header('s', family) + header('d', family) + header('i', false) + header('o', false) + header('p', false) + '(?: (?:! )?-f)?' +
    `(?: -m (?:${MODULES})${WORD_END}${OPTIONS})*` +
    `(?: -[jg] ${target ? `(${BARE})` : BARE}${OPTIONS})?` +
    '(?![^\\n])';
  // Sticky: matched in place at a line's start inside the whole dump, no slicing.
  return new RegExp(source, 'y');
}
/** Shape only (`test`, no match array); the target is then found by a short backward scan. */
const SHAPE = canonical(false, false);
const WITH_TARGET = canonical(false, true);
const WITH_FAMILY = canonical(true, true);

/** What the fast path found. The target is either a string (`target`) or, when `target` is
 *  undefined, the span [targetStart, targetEnd) of the text (targetStart -1: no target). */
export interface FastCheck extends RuleCheck {
  targetStart: number;
  targetEnd: number;
}

/** One result object, overwritten per call (the caller copies what it keeps): no allocation per line. */
const OUT: FastCheck = { chain: '', ipv6Address: false, error: undefined, target: undefined, unknownModules: undefined, binary: false, targetStart: -1, targetEnd: -1 };

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
  SHAPE.lastIndex = from;
  if (!SHAPE.test(text) || SHAPE.lastIndex !== end) return null;
  if (!targetSpan(text, from, end)) {
    // A quoted value after the target (a LOG prefix...): let the capturing match say which word it is.
    WITH_TARGET.lastIndex = from;
    OUT.target = WITH_TARGET.exec(text)?.[1];
  }
  return OUT;
}

/**
 * Finds the target of a line that matched the shape by walking its words backwards from the
 * end: in that shape an unquoted `-j` / `-g` word can only be the target flag (values never
 * start with '-', options start with "--"). Sets OUT.targetStart/End (-1: no target); false
 * when a quote is met first (the flag could be inside a quoted value).
 */
function targetSpan(text: string, from: number, end: number): boolean {
  let wordEnd = end;
  let nextStart = -1;
  let nextEnd = -1;
  for (let i = end - 1; i >= from; i--) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) return false;
    if (ch !== 32 /* space */) continue;
    // The word text[i + 1, wordEnd).
    if (wordEnd - i === 3 && text.charCodeAt(i + 1) === 45 /* - */) {
      const flag = text.charCodeAt(i + 2);
      if (flag === 106 /* j */ || flag === 103 /* g */) {
        OUT.targetStart = nextStart;
        OUT.targetEnd = nextEnd;
        return true;
      }
    }
    nextStart = i + 1;
    nextEnd = wordEnd;
    wordEnd = i;
  }
  return true; // no target
}
