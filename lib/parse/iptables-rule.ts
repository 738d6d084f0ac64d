/**
 * Parses the words of one `-A CHAIN ...` line (after tokenizing) into a Rule.
 *
 * Generic by design: every `--option` belongs to the most recent `-m module` (or to the
 * `-j`/`-g` target once one was seen), and takes as values every following word that does
 * not look like an option (`-x`, `--x`) or a negation `!`. iptables-save never prints a value
 * starting with `-` unquoted, and quoted words are always values. So modules we have never
 * heard of still parse, with their options in order; the tracer decides what it understands.
 *
 * Speed: a 10k-service dump has ~250k rules but few distinct `-m ...` blocks, targets and
 * addresses. Identical blocks (same source text) are parsed once and SHARED between rules
 * (frozen, so an accidental mutation throws instead of corrupting other rules). This cuts
 * the retained object count, which is what the garbage collector pays for.
 */
import type { MatchModule, Negatable, Rule, RuleOption, RuleTarget, TableName } from '@/lib/model/netfilter';
import { BASIC_OPTIONS } from '@/lib/parse/iptables-known';
import type { TokenBuffer } from '@/lib/parse/tokenize';

/** A syntax problem inside a rule line. */
export interface RuleSyntaxError {
  reason: string;
}

type HeaderField = 'source' | 'destination' | 'inInterface' | 'outInterface' | 'protocol';

/** Per-parse caches of shared, frozen sub-objects, keyed by their exact source text. */
export interface RuleCaches {
  blocks: Map<string, MatchModule | RuleTarget>;
  header: Record<HeaderField, [Map<string, Negatable<string>>, Map<string, Negatable<string>>]>;
}

export function newRuleCaches(): RuleCaches {
  const pair = (): [Map<string, Negatable<string>>, Map<string, Negatable<string>>] => [new Map(), new Map()];
  return {
    blocks: new Map(),
    header: { source: pair(), destination: pair(), inInterface: pair(), outInterface: pair(), protocol: pair() },
  };
}

const DASH = 45;
const MAX_CACHE = 500_000;

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

/** Index just past the block starting at `from` (an -m/-j/-g word, or a first option):
 *  the block ends at the next -m/-j/-g or basic option (or `!` before one). */
function blockEnd(t: TokenBuffer, from: number): number {
  let j = from + 1;
  for (; j < t.n; j++) {
    if (t.quoted[j]) continue;
    const w = t.words[j];
    if (w === '!') {
      if (j + 1 < t.n && !t.quoted[j + 1] && BASIC_OPTIONS[t.words[j + 1]] !== undefined) break;
    } else if (w.charCodeAt(0) === DASH && BASIC_OPTIONS[w] !== undefined) break;
  }
  return j;
}

/** Fills `rule` from the words in `t` starting at `from`. Returns null or a RuleSyntaxError. */
export function parseRuleWords(
  rule: Rule,
  t: TokenBuffer,
  from: number,
  line: string,
  caches: RuleCaches,
): RuleSyntaxError | null {
  const { words, quoted } = t;
  const n = t.n;
  let negate = false;
  // Where `--options` currently go: the last -m module, or the target.
  let current: MatchModule | RuleTarget | null = null;
  let currentShared = false; // current came from the cache: copy before appending
  let blockStop = -1; // while i < blockStop we are inside a block that will be cached
  let blockKey = '';
  for (let i = from; i < n; i++) {
    const w = words[i];
    const q = quoted[i];
    if (!q && w === '!') {
      if (negate) return { reason: 'two "!" in a row' };
      negate = true;
      continue;
    }
    if (!isOptionWord(w, q))
      return { reason: `unexpected word ${JSON.stringify(clip(w))} (not an option or its value)` };
    const basic = BASIC_OPTIONS[w];
    if (basic !== undefined) {
      switch (basic) {
        case 'source':
        case 'destination':
        case 'inInterface':
        case 'outInterface':
        case 'protocol': {
          const v = valueAt(t, i + 1);
          if (v === null) return { reason: `${w} needs a value` };
          if (rule[basic] !== undefined) return { reason: `${w} given twice` };
          const cache = caches.header[basic][negate ? 1 : 0];
          let nv = cache.get(v);
          if (nv === undefined) {
            nv = Object.freeze({ value: basic === 'protocol' ? v.toLowerCase() : v, negated: negate });
            if (cache.size < MAX_CACHE) cache.set(v, nv);
          }
          rule[basic] = nv;
          i++;
          break;
        }
        case 'fragment':
          if (rule.fragment !== undefined) return { reason: `${w} given twice` };
          rule.fragment = { value: true, negated: negate };
          break;
        case 'match':
        case 'jump':
        case 'goto': {
          if (negate)
            return {
              reason:
                basic === 'match'
                  ? '"!" cannot negate -m (negate one of its options instead)'
                  : `"!" cannot negate ${w}`,
            };
          const name = valueAt(t, i + 1);
          if (name === null || name === '')
            return { reason: basic === 'match' ? `${w} needs a module name` : `${w} needs a target name` };
          if (basic !== 'match' && rule.target !== undefined) return { reason: 'more than one -j/-g target' };
          const end = blockEnd(t, i + 1);
          const key = line.slice(t.starts[i], t.ends[end - 1]);
          const hit = caches.blocks.get(key);
          if (hit !== undefined && 'kind' in hit === (basic !== 'match')) {
            current = hit;
            currentShared = true;
            i = end - 1; // the whole block is already parsed
            if (rule.comment === undefined && hit.name === 'comment' && !('kind' in hit)) {
              const o = hit.options.find((x) => x.name === 'comment');
              if (o !== undefined) rule.comment = o.values.length === 1 ? o.values[0] : o.values.join(' ');
            }
          } else {
            current =
              basic === 'match'
                ? { name, options: [] }
                : { kind: basic === 'jump' ? 'jump' : 'goto', name, options: [] };
            currentShared = false;
            blockStop = end;
            blockKey = key;
            i++;
            if (end === i + 1) {
              sealBlock(caches, key, current); // a block without options, e.g. `-m tcp`
              currentShared = true;
            }
          }
          if (basic === 'match') rule.matches.push(current as MatchModule);
          else rule.target = current as RuleTarget;
          break;
        }
        case 'counters': {
          // iptables-restore's in-rule form: `-c PACKETS BYTES`.
          if (negate) return { reason: `"!" cannot negate ${w}` };
          const p = words[i + 1];
          const b = words[i + 2];
          if (i + 2 >= n || !isNumeric(p) || !isNumeric(b)) return { reason: `${w} needs two numbers (packets bytes)` };
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
    while (j < n && (quoted[j] || (words[j] !== '!' && !isOptionWord(words[j], false)))) option.values.push(words[j++]);
    i = j - 1;
    negate = false;
    if (current === null) {
      // `-p tcp --dport 80` without `-m tcp`: iptables loads the protocol's match implicitly.
      const proto = rule.protocol;
      if (proto === undefined || proto.negated)
        return { reason: `option --${clip(option.name)} comes before any -m module or -j target` };
      current = { name: proto.value, options: [], implicit: true };
      currentShared = false;
      rule.matches.push(current);
    } else if (currentShared) {
      // Non-canonical input (`-m tcp -p tcp --dport 80`): never append to a shared block.
      current = copyBlock(rule, current);
      currentShared = false;
    }
    current.options.push(option);
    if (
      option.name === 'comment' &&
      rule.comment === undefined &&
      current !== rule.target &&
      current.name === 'comment'
    ) {
      rule.comment = option.values.length === 1 ? option.values[0] : option.values.join(' ');
    }
    if (j === blockStop) {
      sealBlock(caches, blockKey, current);
      currentShared = true;
    }
  }
  if (negate) return { reason: '"!" at end of rule negates nothing' };
  return null;
}

/** Caches a finished block (frozen, deep) so identical text elsewhere shares it. */
function sealBlock(caches: RuleCaches, key: string, block: MatchModule | RuleTarget): void {
  if (caches.blocks.size >= MAX_CACHE) return;
  for (const o of block.options) {
    Object.freeze(o.values);
    Object.freeze(o);
  }
  Object.freeze(block.options);
  caches.blocks.set(key, Object.freeze(block));
}

function copyBlock(rule: Rule, block: MatchModule | RuleTarget): MatchModule | RuleTarget {
  const options = block.options.map((o) => ({ name: o.name, negated: o.negated, values: [...o.values] }));
  if (block === rule.target) return (rule.target = { ...(block as RuleTarget), options });
  const copy: MatchModule = { ...(block as MatchModule), options };
  rule.matches[rule.matches.lastIndexOf(block as MatchModule)] = copy;
  return copy;
}

/** The value word at index i, or null if absent or if it is an option/negation. */
function valueAt(t: TokenBuffer, i: number): string | null {
  if (i >= t.n) return null;
  const w = t.words[i];
  if (!t.quoted[i] && (w === '!' || isOptionWord(w, false))) return null;
  return w;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/** Creates an empty rule shell in the canonical key order used by the golden JSON. */
export function newRule(table: TableName, chain: string, line: number, raw: string): Rule {
  return { table, chain, line, raw, matches: [] };
}
