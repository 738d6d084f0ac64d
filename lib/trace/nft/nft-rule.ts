/**
 * Evaluates one nft rule for a branch, left to right as the kernel runs its expressions:
 * matches (`ip daddr`, `th dport`, `fib saddr type local`, `ct state new`, set lookups),
 * statements (`meta mark set`, `update @set`), and the verdict — including `vmap` lookups on
 * concatenations and `numgen random mod N vmap {…}`, which splits the branch 1/N per element.
 * Expressions we do not model are assumed to match and reported.
 */
import type { NftTable } from '@/lib/model/nft';
import type { Branch } from '@/lib/trace/core/branch';
import type { NodeView } from '@/lib/trace/core/node-view';
import { nftTokens, braceItems, valueMatches } from '@/lib/trace/nft/nft-tokens';
import { hex } from '@/lib/trace/core/match-util';

export type NftVerdict =
  | { kind: 'jump' | 'goto'; chain: string }
  | { kind: 'accept' | 'drop' | 'reject' | 'return' | 'continue' }
  | { kind: 'dnat' | 'snat'; spec: string }
  | { kind: 'masquerade' };

export interface NftChoice {
  p: number;
  v: NftVerdict;
  why?: string;
}

export type NftRuleResult =
  | { ok: false; assumptions: string[] }
  | { ok: true; why: string[]; assumptions: string[]; choices: NftChoice[]; notes: string[] };

export interface NftEnv {
  table: NftTable;
  node: NodeView;
}

type Sel = { kind: string; proto?: string };

const SEL_AFTER: Record<string, Record<string, string>> = {
  ip: { saddr: 'saddr', daddr: 'daddr' },
  ip6: { saddr: 'saddr', daddr: 'daddr' },
  meta: { l4proto: 'l4proto', mark: 'mark', iifname: 'iifname', oifname: 'oifname', nfproto: 'nfproto' },
  th: { dport: 'dport', sport: 'sport' },
  tcp: { dport: 'dport', sport: 'sport' },
  udp: { dport: 'dport', sport: 'sport' },
  sctp: { dport: 'dport', sport: 'sport' },
  ct: { state: 'ctstate' },
};

function parseVerdict(words: string[]): NftVerdict | undefined {
  const [w, x] = words;
  if (w === 'jump' || w === 'goto') return { kind: w, chain: x };
  if (w === 'accept' || w === 'drop' || w === 'return' || w === 'continue' || w === 'reject') return { kind: w };
  return undefined;
}

function selValue(s: Sel, b: Branch, env: NftEnv): string | undefined {
  switch (s.kind) {
    case 'saddr':
      return b.pkt.src;
    case 'daddr':
      return b.pkt.dst;
    case 'l4proto':
      return b.pkt.proto;
    case 'dport':
      return s.proto && s.proto !== b.pkt.proto ? undefined : String(b.pkt.dport);
    case 'sport':
      return s.proto && s.proto !== b.pkt.proto ? undefined : String(b.pkt.sport);
    case 'mark':
      return String(b.mark);
    case 'iifname':
      return b.pkt.inIface;
    case 'oifname':
      return b.pkt.outIface;
    case 'ctstate':
      return b.dnat ? 'new,dnat' : 'new';
    case 'fib-saddr':
      return env.node.isLocal(b.pkt.src) ? 'local' : 'unicast';
    case 'fib-daddr':
      return env.node.isLocal(b.pkt.dst) ? 'local' : 'unicast';
    case 'nfproto':
      return b.pkt.dst.includes(':') ? 'ipv6' : 'ipv4';
    default:
      return undefined;
  }
}

function keyMatches(sels: Sel[], key: string, b: Branch, env: NftEnv): boolean {
  const parts = key.split(' . ').map((p) => p.trim().split(/\s+/)[0]);
  if (parts.length !== sels.length) return false;
  return sels.every((s, i) => {
    const v = selValue(s, b, env);
    return v !== undefined && valueMatches(s.kind, parts[i], v);
  });
}

export function evalNftRule(text: string, b: Branch, env: NftEnv): NftRuleResult {
  const t = nftTokens(text);
  const why: string[] = [];
  const assumptions: string[] = [];
  const notes: string[] = [];
  const done = (choices: NftChoice[]): NftRuleResult => ({ ok: true, why, assumptions, choices, notes });
  let i = 0;
  while (i < t.length) {
    const w = t[i];
    // statements and verdicts
    const v = parseVerdict(t.slice(i, i + 2));
    if (v) return done([{ p: 1, v }]);
    if (w === 'comment') {
      i += 2;
      continue;
    }
    if (w === 'counter') {
      i++;
      while (t[i] === 'packets' || t[i] === 'bytes') i += 2;
      continue;
    }
    if (w === 'dnat' || w === 'snat') {
      let j = i + 1;
      if (t[j] === 'ip' || t[j] === 'ip6') j++;
      if (t[j] === 'to') j++;
      return done([{ p: 1, v: { kind: w, spec: t[j] ?? '' } }]);
    }
    if (w === 'masquerade') return done([{ p: 1, v: { kind: 'masquerade' } }]);
    if (w === 'update' || w === 'add') {
      const name = (t[i + 1] ?? '').replace(/^@/, '');
      if (!b.recent.includes(name)) b.recent.push(name);
      why.push(`records ${b.pkt.src} in set ${name} (session affinity)`);
      i += 3;
      continue;
    }
    if (w === 'numgen') {
      // numgen random mod N [offset M] vmap { k : verdict, ... }
      const n = Number(t[i + 3]);
      const vm = t.indexOf('vmap', i);
      const items = vm >= 0 ? braceItems(t[vm + 1] ?? '{}') : [];
      const choices: NftChoice[] = [];
      for (const item of items) {
        const [k, verdict] = item.split(':').map((s) => s.trim());
        const pv = parseVerdict(verdict.split(/\s+/));
        if (pv) choices.push({ p: 1 / n, v: pv, why: `numgen random mod ${n} = ${k} (probability 1/${n})` });
      }
      const rest = 1 - choices.length / n;
      if (rest > 1e-12) choices.push({ p: rest, v: { kind: 'continue' }, why: 'numgen value without a map entry' });
      return done(choices);
    }
    // `meta mark set ...` / `mark set ...`
    if ((w === 'meta' && t[i + 1] === 'mark' && t[i + 2] === 'set') || (w === 'mark' && t[i + 1] === 'set')) {
      const k = w === 'meta' ? i + 3 : i + 2;
      const before = b.mark;
      const ex = t.slice(k, k + 4);
      const rhsAt = ex[0] === 'meta' ? 2 : ex[0] === 'mark' ? 1 : -1;
      if (rhsAt < 0) {
        b.mark = Number(ex[0]) >>> 0;
        i = k + 1;
      } else {
        const op = ex[rhsAt];
        const val = Number(ex[rhsAt + 1]) >>> 0;
        if (op === '|' || op === 'or') b.mark = (b.mark | val) >>> 0;
        else if (op === '^' || op === 'xor') b.mark = (b.mark ^ val) >>> 0;
        else if (op === '&' || op === 'and') b.mark = (b.mark & val) >>> 0;
        i = k + rhsAt + 2;
      }
      why.push(`mark ${hex(before)} → ${hex(b.mark)}`);
      continue;
    }
    // selectors
    const sels: Sel[] = [];
    let j = i;
    for (;;) {
      const a = t[j];
      const bword = t[j + 1];
      if (a === 'fib' && (bword === 'saddr' || bword === 'daddr')) {
        let k = j + 2;
        while (t[k] && t[k] !== 'type') k++;
        sels.push({ kind: `fib-${bword}` });
        j = k + 1;
      } else if (a === 'mark' && bword !== 'set') {
        sels.push({ kind: 'mark' });
        j += 1;
      } else if (a === 'iifname' || a === 'oifname') {
        sels.push({ kind: a });
        j += 1;
      } else if (SEL_AFTER[a]?.[bword]) {
        sels.push({ kind: SEL_AFTER[a][bword], proto: ['tcp', 'udp', 'sctp'].includes(a) ? a : undefined });
        j += 2;
      } else break;
      if (t[j] !== '.') break;
      j++;
    }
    if (!sels.length) {
      assumptions.push(`nft expression '${w}' not evaluated; assumed to match`);
      i++;
      continue;
    }
    i = j;
    const label = sels.map((s) => s.kind).join(' . ');
    const op = t[i];
    if (op === 'vmap') {
      const target = t[i + 1] ?? '';
      const elems = target.startsWith('@')
        ? (env.table.sets[target.slice(1)]?.elements.map((e) => ({ key: e.key, value: e.value ?? '' })) ?? [])
        : braceItems(target).map((s) => {
            const c = s.lastIndexOf(':');
            return { key: s.slice(0, c).trim(), value: s.slice(c + 1).trim() };
          });
      const hit = elems.find((e) => keyMatches(sels, e.key, b, env));
      if (!hit) return { ok: false, assumptions };
      why.push(`${label} = ${hit.key} in ${target}`);
      const pv = parseVerdict(hit.value.split(/\s+/));
      return done([{ p: 1, v: pv ?? { kind: 'continue' } }]);
    }
    if (op?.startsWith('@')) {
      const set = env.table.sets[op.slice(1)];
      const hit = !!set?.elements.some((e) => keyMatches(sels, e.key, b, env));
      if (!hit) return { ok: false, assumptions };
      why.push(`${label} in set ${op}`);
      if (set?.flags.includes('dynamic'))
        notes.push(
          `session affinity: ${b.pkt.src} is in ${op} (live state in the dump), so the connection sticks to that endpoint`,
        );
      i++;
      continue;
    }
    let negate = false;
    let mask: number | undefined;
    if (op === '&' || op === 'and') {
      mask = Number(t[i + 1]) >>> 0;
      i += 2;
    }
    if (t[i] === '!=') {
      negate = true;
      i++;
    } else if (t[i] === '==') i++;
    const want = t[i++] ?? '';
    const actual = selValue(sels[0], b, env);
    let hit: boolean;
    if (actual === undefined && (sels[0].kind === 'iifname' || sels[0].kind === 'oifname')) {
      assumptions.push(`${sels[0].kind} ${negate ? '!= ' : ''}${want}: interface unknown; assumed to match`);
      continue;
    }
    if (actual === undefined) hit = false;
    else if (mask !== undefined) hit = (Number(actual) & mask) >>> 0 === Number(want) >>> 0;
    else if (sels[0].kind === 'ctstate' || sels[0].kind.startsWith('fib-'))
      hit = want.split(',').some((x) => actual.split(',').includes(x));
    else hit = valueMatches(sels[0].kind, want, actual);
    if (hit === negate) return { ok: false, assumptions };
    why.push(
      `${label} ${actual ?? '?'} ${negate ? '!=' : '=='} ${want}${mask !== undefined ? ` (mask ${hex(mask)})` : ''}`,
    );
  }
  return done([{ p: 1, v: { kind: 'continue' } }]);
}
