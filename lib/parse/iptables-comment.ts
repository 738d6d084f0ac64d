/**
 * The `--comment` of one rule line, read from the raw line without building its Rule: what
 * `kubepath parse` needs from the ~13k rules of kube-proxy's dispatch chains, at a fraction of
 * the cost of tokenizing and building them. It must equal the `comment` the rule builder sets
 * (iptables-rule.ts: the first `--comment` option of a `-m comment` block, its values joined by
 * a space), which is property-tested (iptables-comment.property.test.ts).
 *
 * Only the shape iptables-save itself prints is read in place: the first `--comment` of the line
 * right after ` -m comment `, nothing quoted before it, its value a bare word or one quoted
 * word without escapes, followed by the line end or an option. Any other line is handed to the
 * rule builder (tokenizeInto + parseRuleWords), so the answer never depends on the shortcut.
 */
import { newRule, newRuleCaches, parseRuleWords } from '@/lib/parse/iptables-rule';
import { parseCounterPrefix } from '@/lib/parse/iptables-lines';
import { newTokenBuffer, tokenizeInto } from '@/lib/parse/tokenize';

const OPTION = '--comment';
const BEFORE = ' -m comment ';
const SPACE = 32;
const QUOTE = 34;

/**
 * The comment of the rule line `text[start, end)` (a line the parser accepted; no line end
 * inside), or undefined when it has none.
 */
export function ruleLineComment(text: string, start: number, end: number): string | undefined {
  const k = text.indexOf(OPTION, start);
  // An option named "comment" can only come from the literal word `--comment` (outside quotes
  // a backslash is an ordinary character, and a quoted word is never an option).
  if (k < 0 || k + OPTION.length > end) return undefined;
  const fast = inPlace(text, start, end, k);
  return fast !== NOT_CANONICAL ? fast : byBuilder(text.slice(start, end));
}

const NOT_CANONICAL = '\u0000not canonical';

// Sticky expressions, matched in place (lastIndex says where they stopped; `test` allocates nothing).
/** Up to the first tab, quote or line end. */
const PLAIN = /[^\t\n"]*/y;
/** A quoted value without escapes, tabs or line ends. */
const QUOTED = /"[^"\\\t\n]*"/y;
/** A bare value: not an option (`-x`), not a negation, not quoted. */
const BARE = /[^\s"!-][^\s"]*/y;
/** After the value: the line end, or an option word and then no tab or quote up to the line end. */
const REST = /(?: -[^\s"][^\t\n"]*)?(?![^\n])/y;

function inPlace(text: string, start: number, end: number, k: number): string {
  if (k - BEFORE.length < start || !text.startsWith(BEFORE, k - BEFORE.length)) return NOT_CANONICAL;
  const v = k + OPTION.length + 1; // the value's first character
  if (v >= end || text.charCodeAt(v - 1) !== SPACE) return NOT_CANONICAL;
  // Nothing quoted and no tab (another word separator) before the value.
  PLAIN.lastIndex = start;
  PLAIN.test(text);
  if (PLAIN.lastIndex < v) return NOT_CANONICAL;
  const quoted = text.charCodeAt(v) === QUOTE;
  const word = quoted ? QUOTED : BARE;
  word.lastIndex = v;
  if (!word.test(text)) return NOT_CANONICAL;
  const after = word.lastIndex;
  if (after > end) return NOT_CANONICAL;
  // The values end at the line end or at the next word if it is an option (unquoted, as no
  // quote remains). A further value word would join the comment: the builder's case.
  REST.lastIndex = after;
  if (!REST.test(text) || REST.lastIndex !== end) return NOT_CANONICAL;
  // A later `--comment` cannot change it: the builder keeps the first comment option, and this is
  // the first (an option named "comment" needs the literal word, and nothing is quoted before).
  return quoted ? text.slice(v + 1, after - 1) : text.slice(v, after);
}

/** The comment as the rule builder sets it (undefined also for a line it rejects). */
function byBuilder(line: string): string | undefined {
  let from = 0;
  if (line.charCodeAt(0) === 91 /* [ */) {
    const prefix = parseCounterPrefix(line, 0);
    if (prefix === null) return undefined;
    from = prefix.end;
  }
  const tokens = newTokenBuffer();
  if (tokenizeInto(line, from, tokens) !== null || tokens.n < 2) return undefined;
  const rule = newRule('filter', tokens.words[1], 0, line);
  return parseRuleWords(rule, tokens, 2, line, newRuleCaches()) === null ? rule.comment : undefined;
}
