/**
 * The eager half of rule parsing: checks one `-A ...` line with exactly the grammar of
 * parseRuleWords, by scanning char codes, WITHOUT building the Rule. The Rule objects are
 * built later, per chain, when `chain.rules` is first read (see iptables-lazy.ts). Lines in
 * iptables-save's canonical shape are accepted before they get here by iptables-fast-line.ts;
 * this scanner decides everything else and words every error.
 *
 * Agreement with parseRuleWords (same accept/reject, same reason) is property-tested.
 */
import { BASIC_OPTIONS, KNOWN_MATCHES } from '@/lib/parse/iptables-known';
import {
  CURSOR,
  DASH,
  clip,
  hasColon,
  isBang,
  isOption,
  next,
  numeric,
  text,
  unquote,
  value,
  type Cursor,
} from '@/lib/parse/iptables-word-cursor';

export interface RuleCheck {
  /** Syntax error (the rule is dropped), in parseRuleWords' words. */
  error?: string;
  /** Chain name (`-A NAME`), sliced. */
  chain: string;
  /** Target name, when the rule has -j/-g. */
  target?: string;
  /** Match module names that are not in KNOWN_MATCHES (warnings). */
  unknownModules?: string[];
  /** A -s/-d value contains ':' (IPv6). */
  ipv6Address: boolean;
  /** The line holds control characters (binary garbage); nothing else was checked. */
  binary?: boolean;
}

/** Long basic options by length: most `--module-option` words are rejected by length alone. */
const LONG_BY_LEN: string[][] = [];
for (const k of Object.keys(BASIC_OPTIONS)) if (k.startsWith('--')) (LONG_BY_LEN[k.length] ??= []).push(k);
const SHORT_BASIC: (string | undefined)[] = [];
for (const [k, v] of Object.entries(BASIC_OPTIONS)) if (k.length === 2) SHORT_BASIC[k.charCodeAt(1)] = v;

/** BASIC_OPTIONS lookup on the current (unquoted option) word, without slicing it. */
function basicAt(c: Cursor): string | undefined {
  const len = c.end - c.start;
  if (len === 2) return SHORT_BASIC[c.line.charCodeAt(c.start + 1)];
  if (len > 15 || c.line.charCodeAt(c.start + 1) !== DASH) return undefined;
  const candidates = LONG_BY_LEN[len];
  if (candidates === undefined) return undefined;
  for (const k of candidates) if (c.line.startsWith(k, c.start)) return BASIC_OPTIONS[k];
  return undefined;
}

/** Known match names, most frequent first, compared in place before falling back to a slice. */
const MATCH_ORDER = [
  'comment',
  'tcp',
  'udp',
  'statistic',
  'recent',
  'mark',
  'conntrack',
  'addrtype',
  'multiport',
  'set',
  'sctp',
  'physdev',
  'nfacct',
];
function isKnownMatch(c: Cursor): boolean {
  const len = c.end - c.start;
  for (const m of MATCH_ORDER) if (m.length === len && c.line.startsWith(m, c.start)) return true;
  return KNOWN_MATCHES.has(unquote(text(c), c.quoted));
}

/**
 * Checks the words of a rule line: `text[from, limit)` (after any `[p:b]` prefix); `base` is
 * where the line starts in `text` (columns in messages are relative to it). `chainHint` is the
 * previous rule's chain name, reused when equal.
 */
export function checkRule(text: string, from: number, limit = text.length, base = 0, chainHint = ''): RuleCheck {
  // One reused cursor (checkRule is not re-entrant); `out` always has every field, so the
  // callers' property reads stay monomorphic.
  const c = CURSOR;
  c.line = text;
  c.limit = limit;
  c.base = base;
  c.pos = from;
  c.start = c.end = 0;
  c.quoted = c.control = c.back = false;
  c.badQuote = -1;
  const out: RuleCheck = {
    chain: '',
    ipv6Address: false,
    error: undefined,
    target: undefined,
    unknownModules: undefined,
    binary: false,
  };
  grammar(c, out, chainHint);
  // Binary data, then tokenization errors, take precedence over grammar errors (the full
  // parser tokenizes the whole line first). On success the scan is already at the end.
  c.back = false;
  while (next(c));
  if (c.control) {
    out.binary = true;
    out.error = undefined;
  } else if (c.badQuote >= 0) out.error = `unterminated quote at column ${c.badQuote - c.base + 1}`;
  c.line = ''; // do not keep the input alive
  return out;
}

function grammar(c: Cursor, out: RuleCheck, chainHint: string): RuleCheck {
  const { line } = c;
  if (!next(c)) return fail(out, 'unsupported command "" (iptables-save only writes -A rules)');
  const isA =
    c.end - c.start === 2 &&
    !c.quoted &&
    line.charCodeAt(c.start) === DASH &&
    line.charCodeAt(c.start + 1) === 65; /* A */
  if (!isA) {
    const cmd = unquote(text(c), c.quoted);
    if (cmd !== '-A' && cmd !== '--append')
      return fail(out, `unsupported command ${JSON.stringify(cmd)} (iptables-save only writes -A rules)`);
  }
  if (!next(c) || c.quoted || c.end === c.start || line.charCodeAt(c.start) === DASH)
    return fail(out, '-A needs a chain name');
  // Rules come grouped by chain: reuse the previous chain's name string when it matches.
  out.chain = chainHint.length === c.end - c.start && line.startsWith(chainHint, c.start) ? chainHint : text(c);
  let negate = false;
  let hasBlock = false; // a -m module or the target is open
  let protoStart = -1; // span of the -p value, sliced only if an implicit match needs it
  let protoEnd = -1;
  let protoQuoted = false;
  let protocolNegated = false;
  let seen = 0; // bit set of header options already given
  while (next(c)) {
    if (isBang(c)) {
      if (negate) return fail(out, 'two "!" in a row');
      negate = true;
      continue;
    }
    if (!isOption(c))
      return fail(
        out,
        `unexpected word ${JSON.stringify(clip(unquote(text(c), c.quoted)))} (not an option or its value)`,
      );
    const wStart = c.start;
    const wEnd = c.end;
    const basic = basicAt(c);
    if (basic !== undefined) {
      if (basic === 'match' || basic === 'jump' || basic === 'goto' || basic === 'counters') {
        if (negate)
          return fail(
            out,
            basic === 'match'
              ? '"!" cannot negate -m (negate one of its options instead)'
              : `"!" cannot negate ${line.slice(wStart, wEnd)}`,
          );
      }
      switch (basic) {
        case 'source':
        case 'destination':
        case 'inInterface':
        case 'outInterface':
        case 'protocol': {
          if (!value(c)) return fail(out, `${line.slice(wStart, wEnd)} needs a value`);
          const bit = BIT[basic];
          if (seen & bit) return fail(out, `${line.slice(wStart, wEnd)} given twice`);
          seen |= bit;
          if (basic === 'protocol') {
            protoStart = c.start;
            protoEnd = c.end;
            protoQuoted = c.quoted;
            protocolNegated = negate;
          } else if ((basic === 'source' || basic === 'destination') && hasColon(c)) out.ipv6Address = true;
          break;
        }
        case 'fragment':
          if (seen & BIT.fragment) return fail(out, `${line.slice(wStart, wEnd)} given twice`);
          seen |= BIT.fragment;
          break;
        case 'match':
        case 'jump':
        case 'goto': {
          const ok = value(c);
          if (!ok || c.end === c.start || (c.quoted && unquote(text(c), true) === '')) {
            return fail(
              out,
              basic === 'match'
                ? `${line.slice(wStart, wEnd)} needs a module name`
                : `${line.slice(wStart, wEnd)} needs a target name`,
            );
          }
          if (basic === 'match') {
            if (!isKnownMatch(c)) (out.unknownModules ??= []).push(unquote(text(c), c.quoted));
          } else {
            if (out.target !== undefined) return fail(out, 'more than one -j/-g target');
            out.target = unquote(text(c), c.quoted);
          }
          hasBlock = true;
          break;
        }
        case 'counters': {
          const p = numeric(c);
          const b = p && numeric(c);
          if (!p || !b) return fail(out, `${line.slice(wStart, wEnd)} needs two numbers (packets bytes)`);
          if (seen & BIT.counters) return fail(out, 'counters given twice');
          seen |= BIT.counters;
          break;
        }
      }
      negate = false;
      continue;
    }
    if (line.charCodeAt(c.start + 1) !== DASH || c.end - c.start < 3)
      return fail(out, `unknown option ${JSON.stringify(clip(text(c)))}`);
    const optStart = c.start;
    const optEnd = c.end;
    // Values: every following word that is quoted or neither `!` nor an option.
    for (;;) {
      if (!next(c)) break;
      if (isBang(c) || isOption(c)) {
        c.back = true;
        break;
      }
    }
    negate = false;
    if (!hasBlock) {
      if (protoStart < 0 || protocolNegated)
        return fail(out, `option --${clip(line.slice(optStart + 2, optEnd))} comes before any -m module or -j target`);
      const protocol = unquote(line.slice(protoStart, protoEnd), protoQuoted).toLowerCase();
      if (!KNOWN_MATCHES.has(protocol)) (out.unknownModules ??= []).push(protocol);
      hasBlock = true;
    }
  }
  if (negate) return fail(out, '"!" at end of rule negates nothing');
  return out;
}

function fail(out: RuleCheck, reason: string): RuleCheck {
  out.error = reason;
  return out;
}

const BIT: Record<string, number> = {
  source: 1,
  destination: 2,
  inInterface: 4,
  outInterface: 8,
  protocol: 16,
  fragment: 32,
  counters: 64,
};
