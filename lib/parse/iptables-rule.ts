/**
 * Parses the words of one `-A CHAIN ...` line (after tokenizing) into a Rule.
 *
 * Generic by design: every `--option` belongs to the most recent `-m module` (or to the
 * `-j`/`-g` target once one was seen), and takes as values every following word that does
 * not look like an option (`-x`, `--x`) or a negation `!`. iptables-save never prints a value
 * starting with `-` unquoted, and quoted words are always values. So modules we have never
 * heard of still parse, with their options in order; the tracer decides what it understands.
 */
import type { MatchModule, Negatable, Rule, RuleOption, RuleTarget, TableName } from '@/lib/model/netfilter';
import { BASIC_OPTIONS } from '@/lib/parse/iptables-known';

/** A syntax problem inside a rule line; `word` is the 0-based index of the offending word. */
export interface RuleSyntaxError {
  reason: string;
}

const DASH = 45;

function isOptionWord(word: string, quoted: boolean): boolean {
  return !quoted && word.length > 1 && word.charCodeAt(0) === DASH;
}

function isNumeric(s: string): boolean {
  if (s.length === 0 || s.length > 20) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

type HeaderField = 'source' | 'destination' | 'inInterface' | 'outInterface' | 'protocol';

/**
 * Fills `rule` from words[from..]. Returns null on success or a RuleSyntaxError.
 * `rule` must already carry table/chain/line/raw (and counters from a `[p:b]` prefix).
 */
export function parseRuleWords(rule: Rule, words: string[], quoted: boolean[], from: number): RuleSyntaxError | null {
  const n = words.length;
  let negate = false;
  // Where `--options` currently go: the last -m module, or the target.
  let current: MatchModule | RuleTarget | null = null;
  for (let i = from; i < n; i++) {
    const w = words[i];
    const q = quoted[i];
    if (!q && w === '!') {
      if (negate) return { reason: 'two "!" in a row' };
      negate = true;
      continue;
    }
    if (!isOptionWord(w, q)) return { reason: `unexpected word ${JSON.stringify(clip(w))} (not an option or its value)` };
    const basic = BASIC_OPTIONS[w];
    if (basic !== undefined) {
      switch (basic) {
        case 'source':
        case 'destination':
        case 'inInterface':
        case 'outInterface':
        case 'protocol': {
          const v = valueAt(words, quoted, i + 1);
          if (v === null) return { reason: `${w} needs a value` };
          if (rule[basic as HeaderField] !== undefined) return { reason: `${w} given twice` };
          const value = basic === 'protocol' ? v.toLowerCase() : v;
          (rule as Record<HeaderField, Negatable<string>>)[basic as HeaderField] = { value, negated: negate };
          i++;
          break;
        }
        case 'fragment':
          if (rule.fragment !== undefined) return { reason: `${w} given twice` };
          rule.fragment = { value: true, negated: negate };
          break;
        case 'match': {
          if (negate) return { reason: '"!" cannot negate -m (negate one of its options instead)' };
          const name = valueAt(words, quoted, i + 1);
          if (name === null || name === '') return { reason: `${w} needs a module name` };
          current = { name, options: [] };
          rule.matches.push(current);
          i++;
          break;
        }
        case 'jump':
        case 'goto': {
          if (negate) return { reason: `"!" cannot negate ${w}` };
          const name = valueAt(words, quoted, i + 1);
          if (name === null || name === '') return { reason: `${w} needs a target name` };
          if (rule.target !== undefined) return { reason: 'more than one -j/-g target' };
          current = { kind: basic === 'jump' ? 'jump' : 'goto', name, options: [] };
          rule.target = current;
          i++;
          break;
        }
        case 'counters': {
          // iptables-restore's in-rule form: `-c PACKETS BYTES`.
          if (negate) return { reason: `"!" cannot negate ${w}` };
          const p = words[i + 1];
          const b = words[i + 2];
          if (p === undefined || b === undefined || !isNumeric(p) || !isNumeric(b)) return { reason: `${w} needs two numbers (packets bytes)` };
          if (rule.counters !== undefined) return { reason: 'counters given twice' };
          rule.counters = { packets: Number(p), bytes: Number(b) };
          i += 2;
          break;
        }
      }
      negate = false;
      continue;
    }
    if (w.charCodeAt(1) !== DASH || w.length < 3) return { reason: `unknown option ${JSON.stringify(clip(w))}` };
    // A module or target option: `--name v1 v2 ...`
    const option: RuleOption = { name: w.slice(2), negated: negate, values: [] };
    let j = i + 1;
    while (j < n && (quoted[j] || (words[j] !== '!' && !isOptionWord(words[j], false)))) {
      option.values.push(words[j]);
      j++;
    }
    i = j - 1;
    negate = false;
    if (current === null) {
      // `-p tcp --dport 80` without `-m tcp`: iptables loads the protocol's match implicitly.
      const proto = rule.protocol;
      if (proto === undefined || proto.negated) return { reason: `option --${clip(option.name)} comes before any -m module or -j target` };
      current = { name: proto.value, options: [], implicit: true };
      rule.matches.push(current);
    }
    current.options.push(option);
    if (option.name === 'comment' && rule.comment === undefined && current !== rule.target && current.name === 'comment') {
      rule.comment = option.values.join(' ');
    }
  }
  if (negate) return { reason: '"!" at end of rule negates nothing' };
  return null;
}

/** The value word at index i, or null if absent or if it is an option/negation. */
function valueAt(words: string[], quoted: boolean[], i: number): string | null {
  if (i >= words.length) return null;
  const w = words[i];
  if (!quoted[i] && (w === '!' || isOptionWord(w, false))) return null;
  return w;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/** Creates an empty rule shell in the canonical key order used by the golden JSON. */
export function newRule(table: TableName, chain: string, line: number, raw: string): Rule {
  return { table, chain, line, raw, matches: [] };
}
