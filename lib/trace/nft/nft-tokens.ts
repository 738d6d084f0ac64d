/**
 * Tokens of one `nft list ruleset` rule line: words split on blanks, with `"quoted"` strings
 * and `{ ... }` anonymous sets / verdict maps kept whole. Also value matchers shared by the
 * nft evaluator (addresses, ports, protocols, interface names with `*` wildcards).
 */
import { inCidr } from '@/lib/trace/core/match-util';
import { normalizeIp } from '@/lib/net/ip';

export function nftTokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out.push(text.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '{') {
      let depth = 0;
      let j = i;
      for (; j < n; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      out.push(text.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n && text[j] !== ' ' && text[j] !== '\t') j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/** Elements of an anonymous set `{ a, b }` or verdict map `{ 0 : goto x, 1 : drop }`. */
export function braceItems(tok: string): string[] {
  return tok
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const PROTO_NUM: Record<string, string> = { '6': 'tcp', '17': 'udp', '132': 'sctp' };

/** One value of a selector compared the way nft does for that data type. */
export function valueMatches(kind: string, want: string, actual: string): boolean {
  if (want.startsWith('{')) return braceItems(want).some((w) => valueMatches(kind, w, actual));
  switch (kind) {
    case 'saddr':
    case 'daddr': {
      if (want.includes('/')) return inCidr(want, actual);
      const dash = want.indexOf('-');
      if (dash > 0 && !want.includes(':')) {
        const num = (s: string): number => s.split('.').reduce((a, x) => a * 256 + Number(x), 0);
        const v = num(actual);
        return v >= num(want.slice(0, dash)) && v <= num(want.slice(dash + 1));
      }
      return normalizeIp(want) === normalizeIp(actual);
    }
    case 'dport':
    case 'sport': {
      const dash = want.indexOf('-');
      const a = Number(actual);
      if (dash > 0) return a >= Number(want.slice(0, dash)) && a <= Number(want.slice(dash + 1));
      return Number(want) === a;
    }
    case 'l4proto':
      return (PROTO_NUM[want] ?? want) === actual;
    case 'iifname':
    case 'oifname': {
      const w = want.replace(/^"|"$/g, '');
      return w.endsWith('*') ? actual.startsWith(w.slice(0, -1)) : w === actual;
    }
    case 'mark':
      return Number(want) >>> 0 === Number(actual) >>> 0;
    default:
      return want === actual;
  }
}
