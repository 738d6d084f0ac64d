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
/**
 * From ` -m comment --comment ` on: the value, one quoted word without escapes, tabs or line ends,
 * or a bare word that is not an option (`-x`), a negation or quoted; then the line end, or an
 * option word and no tab or quote up to the line end (a further value word would join the
 * comment: the builder's case).
 */
const TAIL = / -m comment --comment (?:"[^"\\\t\n]*"|[^\s"!-][^\s"]*)(?: -[^\s"][^\t\n"]*)?(?![^\n])/y;

function inPlace(text: string, start: number, end: number, k: number): string {
  const from = k - BEFORE.length;
  if (from < start) return NOT_CANONICAL;
  TAIL.lastIndex = from;
  if (!TAIL.test(text) || TAIL.lastIndex !== end) return NOT_CANONICAL;
  // Nothing quoted and no tab (another word separator) before the value.
  const v = k + OPTION.length + 1; // the value's first character
  PLAIN.lastIndex = start;
  PLAIN.test(text);
  if (PLAIN.lastIndex < v) return NOT_CANONICAL;
  // A later `--comment` cannot change the answer: the builder keeps the first comment option, and
  // this is the first (an option named "comment" needs the literal word; nothing is quoted before).
  if (text.charCodeAt(v) === QUOTE) return text.slice(v + 1, text.indexOf('"', v + 1));
  const space = text.indexOf(' ', v);
  return text.slice(v, space < 0 || space > end ? end : space);
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
