/**
 * nftables chain walker: rules in order, `jump` (come back), `goto` (end of the target returns
 * to the caller's caller), `return`, verdicts, NAT statements, and branch splits from numgen.
 * Mirrors walk-chain.ts for iptables so both engines produce the same Branch/Exit shapes.
 */
import type { NftTable } from '@/lib/model/nft';
import type { StepEffect } from '@/lib/model/trace';
import type { Branch } from '@/lib/trace/core/branch';
import { forkBranch, assume } from '@/lib/trace/core/branch';
import type { Exit } from '@/lib/trace/netfilter/walk-env';
import type { NodeView } from '@/lib/trace/core/node-view';
import { evalNftRule } from '@/lib/trace/nft/nft-rule';
import type { NftChoice } from '@/lib/trace/nft/nft-rule';
import { parseNatSpec } from '@/lib/trace/core/nat-targets';
import { nftLabel } from '@/lib/trace/nft/nft-labels';
import { formatEndpoint } from '@/lib/net/ip';

export interface NftWalkEnv {
  table: NftTable;
  node: NodeView;
  notes: Set<string>;
}

function step(
  b: Branch,
  env: NftWalkEnv,
  chain: string,
  line: number,
  raw: string,
  effect: StepEffect,
  why: string,
  extra: object = {},
): void {
  b.steps.push({
    table: `${env.table.family} ${env.table.name}`,
    chain,
    line,
    raw,
    effect,
    why,
    label: nftLabel(chain),
    ...extra,
  });
}

const MAX_DEPTH = 64;

export function nftWalkChain(env: NftWalkEnv, chainName: string, b: Branch, start = 0, depth = 0): Exit[] {
  const chain = env.table.chains[chainName];
  if (!chain || depth > MAX_DEPTH) {
    if (!chain) assume(b, `nft chain ${chainName} not in the ruleset; treated as empty`);
    return [{ b, kind: 'fall' }];
  }
  const exits: Exit[] = [];
  for (let i = start; i < chain.rules.length; i++) {
    const rule = chain.rules[i];
    const r = evalNftRule(rule.text, b, { table: env.table, node: env.node });
    for (const a of r.assumptions) assume(b, `line ${rule.line}: ${a}`);
    if (!r.ok) continue;
    for (const n of r.notes) env.notes.add(n);
    const why = r.why.join('; ') || 'matches every packet';
    const forks = r.choices.length > 1;
    const conts: Branch[] = [];
    for (const c of r.choices) {
      const x = forks ? forkBranch(b, c.p) : b;
      const res = apply(
        env,
        chainName,
        rule.line,
        rule.raw.trim(),
        x,
        c,
        forks ? `${why}; ${c.why ?? ''}` : why,
        depth,
      );
      conts.push(...res.conts);
      exits.push(...res.exits);
    }
    if (conts.length === 1 && !forks) {
      b = conts[0];
      continue;
    }
    for (const c of conts) exits.push(...nftWalkChain(env, chainName, c, i + 1, depth));
    return exits;
  }
  exits.push({ b, kind: 'fall' });
  return exits;
}

function apply(
  env: NftWalkEnv,
  chain: string,
  line: number,
  raw: string,
  b: Branch,
  c: NftChoice,
  why: string,
  depth: number,
): { conts: Branch[]; exits: Exit[] } {
  const extra = c.p < 1 ? { branchProbability: c.p } : {};
  const v = c.v;
  switch (v.kind) {
    case 'continue':
      if (why !== 'matches every packet' || c.p < 1)
        step(
          b,
          env,
          chain,
          line,
          raw,
          c.p < 1 ? 'branch' : why.includes('mark 0x') ? 'mark' : 'note',
          `${why}; continues`,
          extra,
        );
      return { conts: [b], exits: [] };
    case 'jump':
    case 'goto': {
      step(b, env, chain, line, raw, v.kind, `${why}; ${v.kind} ${v.chain}`, { ...extra, label: nftLabel(v.chain) });
      const sub = nftWalkChain(env, v.chain, b, 0, depth + 1);
      const exits: Exit[] = [];
      const conts: Branch[] = [];
      for (const e of sub) {
        if (e.kind === 'fall' || e.kind === 'return') {
          if (v.kind === 'goto') exits.push({ b: e.b, kind: 'return' });
          else conts.push(e.b);
        } else exits.push(e);
      }
      return { conts, exits };
    }
    case 'return':
      step(b, env, chain, line, raw, 'return', `${why}; return`, extra);
      return { conts: [], exits: [{ b, kind: 'return' }] };
    case 'accept':
      step(b, env, chain, line, raw, 'accept', `${why}; accept ends this base chain`, extra);
      return { conts: [], exits: [{ b, kind: 'accept' }] };
    case 'drop':
      step(b, env, chain, line, raw, 'drop', `${why}; drop: the packet is discarded (the client times out)`, extra);
      return { conts: [], exits: [{ b, kind: 'drop' }] };
    case 'reject':
      step(b, env, chain, line, raw, 'reject', `${why}; reject (the client sees "connection refused" at once)`, extra);
      return { conts: [], exits: [{ b, kind: 'reject' }] };
    case 'masquerade':
      b.masquerade = true;
      step(
        b,
        env,
        chain,
        line,
        raw,
        'masquerade',
        `${why}; masquerade: source rewritten to the outgoing interface's address`,
        extra,
      );
      return { conts: [], exits: [{ b, kind: 'nat' }] };
    case 'snat':
    case 'dnat': {
      const ns = parseNatSpec(v.spec);
      if (!ns) {
        assume(b, `line ${line}: ${v.kind} target '${v.spec}' not understood; packet left unchanged`);
        return { conts: [b], exits: [] };
      }
      if (v.kind === 'snat') {
        b.snat = ns.ip;
        step(b, env, chain, line, raw, 'snat', `${why}; snat to ${v.spec}`, extra);
      } else {
        const port = ns.port ?? b.pkt.dport;
        b.dnat = { ip: ns.ip, port };
        b.pkt.dst = ns.ip;
        b.pkt.dport = port;
        const to = formatEndpoint(ns.ip, port);
        const lab = nftLabel(chain);
        b.endpointService = lab?.service ?? b.endpointService;
        step(b, env, chain, line, raw, 'dnat', `${why}; DNAT to ${to}`, {
          ...extra,
          label: { ...(lab ?? {}), endpoint: to },
        });
      }
      return { conts: [], exits: [{ b, kind: 'nat' }] };
    }
  }
}
