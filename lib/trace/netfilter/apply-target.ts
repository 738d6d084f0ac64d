/**
 * What a matched rule's target does to a branch: jump/goto into user chains, verdicts,
 * NAT (which ends the nat table's walk for this hook: nat sees only the first packet, and a
 * NAT target decides its mapping), MARK, and the non-terminating targets (LOG, CT, ...).
 */
import type { Rule } from '@/lib/model/netfilter';
import type { Branch } from '@/lib/trace/core/branch';
import { assume } from '@/lib/trace/core/branch';
import type { RuleMatch } from '@/lib/trace/netfilter/match-rule';
import { pushStep, serviceForJump, type Exit, type WalkEnv, type WalkFn } from '@/lib/trace/netfilter/walk-env';
import { makeLabel, endpointFromComment, chainRole, ruleComment } from '@/lib/trace/netfilter/labels';
import { applyMark, parseNatSpec, natSpecOf } from '@/lib/trace/core/nat-targets';
import { fmtEndpoint as formatEndpoint } from '@/lib/trace/core/match-util';

export type TargetResult = { kind: 'continue'; branches: Branch[]; exits: Exit[] } | { kind: 'end'; exits: Exit[] };

const LOG_TARGETS = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE', 'AUDIT']);

function whyText(m: RuleMatch, fallback: string): string {
  const parts = m.why.filter((w) => w);
  return parts.length ? parts.join('; ') : fallback;
}

export function applyTarget(
  env: WalkEnv,
  chain: string,
  rule: Rule,
  b: Branch,
  m: RuleMatch,
  depth: number,
  walkChain: WalkFn,
): TargetResult {
  const t = rule.target;
  const extra = {
    assumptions: m.assumptions.length ? m.assumptions : undefined,
    branchProbability: m.q !== undefined && m.q < 1 ? m.q : undefined,
  };
  for (const a of m.assumptions) assume(b, `line ${rule.line}: ${a}`);
  const why = whyText(m, 'matches every packet');

  if (!t) {
    pushStep(b, env, rule, chain, 'note', `${why}; rule has no target (counters only), continues`, {
      ...extra,
      label: makeLabel(chain, b.service),
    });
    return { kind: 'continue', branches: [b], exits: [] };
  }
  const userChain = env.dump.tables[env.table]?.chains[t.name];
  if (userChain && !userChain.builtin) {
    const svc = serviceForJump(chain, rule, b);
    const ep = endpointFromComment(ruleComment(rule));
    pushStep(
      b,
      env,
      rule,
      chain,
      t.kind === 'goto' ? 'goto' : 'jump',
      `${why}; ${t.kind === 'goto' ? 'goto' : 'jump to'} ${t.name}`,
      {
        ...extra,
        label: makeLabel(t.name, svc, ep),
      },
    );
    const saved = b.service;
    b.service = svc;
    const sub = walkChain(env, t.name, b, 0, depth + 1);
    const branches: Branch[] = [];
    const exits: Exit[] = [];
    for (const e of sub) {
      if (e.kind === 'fall' || e.kind === 'return') {
        e.b.service = saved;
        // goto: coming back from the target returns from the chain that did the goto.
        if (t.kind === 'goto') exits.push({ b: e.b, kind: 'return' });
        else branches.push(e.b);
      } else exits.push(e);
    }
    return t.kind === 'goto' ? { kind: 'end', exits } : { kind: 'continue', branches, exits };
  }
  switch (t.name) {
    case 'ACCEPT':
      pushStep(b, env, rule, chain, 'accept', `${why}; ACCEPT ends the ${env.table} ${env.hook} hook`, {
        ...extra,
        label: makeLabel(chain, b.service),
      });
      return { kind: 'end', exits: [{ b, kind: 'accept' }] };
    case 'DROP':
      pushStep(b, env, rule, chain, 'drop', `${why}; DROP: the packet is discarded (the client times out)`, {
        ...extra,
        label: makeLabel(chain, b.service),
      });
      return { kind: 'end', exits: [{ b, kind: 'drop' }] };
    case 'REJECT': {
      const w = natSpecOf(t, 'reject-with') ?? 'icmp-port-unreachable';
      if (w === 'tcp-reset' && b.dnat) {
        // Measured in the kernel lab: the RST leaves from the endpoint's address (the SYN's conntrack
        // entry is never confirmed, so nothing un-DNATs it) and the client, talking to the Service IP,
        // ignores it: for the client this is a timeout, not a refusal.
        pushStep(
          b,
          env,
          rule,
          chain,
          'drop',
          `${why}; REJECT with tcp-reset after DNAT: the reset is sent from ${b.pkt.dst}, not from the address the client dialled, so the client ignores it and times out`,
          { ...extra, label: makeLabel(chain, b.service) },
        );
        return { kind: 'end', exits: [{ b, kind: 'drop' }] };
      }
      pushStep(
        b,
        env,
        rule,
        chain,
        'reject',
        `${why}; REJECT with ${w} (the client sees "connection refused" at once)`,
        { ...extra, label: makeLabel(chain, b.service) },
      );
      return { kind: 'end', exits: [{ b, kind: 'reject' }] };
    }
    case 'RETURN':
      pushStep(b, env, rule, chain, 'return', `${why}; RETURN to the calling chain`, {
        ...extra,
        label: makeLabel(chain, b.service),
      });
      return { kind: 'end', exits: [{ b, kind: 'return' }] };
    case 'DNAT':
    case 'REDIRECT':
      return dnat(env, chain, rule, b, why, extra);
    case 'SNAT': {
      const spec = natSpecOf(t, 'to-source') ?? '';
      b.snat = parseNatSpec(spec)?.ip ?? spec;
      pushStep(b, env, rule, chain, 'snat', `${why}; SNAT source to ${spec}`, {
        ...extra,
        label: makeLabel(chain, b.service),
      });
      return { kind: 'end', exits: [{ b, kind: 'nat' }] };
    }
    case 'MASQUERADE':
      b.masquerade = true;
      pushStep(
        b,
        env,
        rule,
        chain,
        'masquerade',
        `${why}; MASQUERADE: source rewritten to the outgoing interface's address${b.pkt.outIface ? ` (${b.pkt.outIface})` : ''}`,
        { ...extra, label: makeLabel(chain, b.service) },
      );
      return { kind: 'end', exits: [{ b, kind: 'nat' }] };
    case 'MARK': {
      const r = applyMark(t, b.mark);
      b.mark = r.mark;
      const role = chainRole(chain);
      const meaning = role === 'mark-masq' ? ' — marked for masquerade in POSTROUTING' : '';
      pushStep(b, env, rule, chain, 'mark', `${why}; ${r.why}${meaning}`, {
        ...extra,
        label: makeLabel(chain, b.service),
      });
      return { kind: 'continue', branches: [b], exits: [] };
    }
    case 'CT':
    case 'NOTRACK': {
      const notrack = t.name === 'NOTRACK' || t.options.some((o) => o.name.replace(/^-+/, '') === 'notrack');
      if (notrack) {
        // An untracked packet has no conntrack entry: nat hooks skip it, ctstate is UNTRACKED.
        b.untracked = true;
        pushStep(
          b,
          env,
          rule,
          chain,
          'note',
          `${why}; ${t.name === 'NOTRACK' ? 'NOTRACK' : 'CT --notrack'}: the packet is left untracked, so no NAT (Service DNAT or masquerade) can apply to it`,
          { ...extra, label: makeLabel(chain, b.service) },
        );
        return { kind: 'continue', branches: [b], exits: [] };
      }
      const text = `CT target (${t.options.map((o) => o.name).join(' ')}) not modelled; continues`;
      assume(b, `line ${rule.line}: ${text}`);
      pushStep(b, env, rule, chain, 'note', `${why}; ${text}`, {
        ...extra,
        label: makeLabel(chain, b.service),
        assumptions: [text],
      });
      return { kind: 'continue', branches: [b], exits: [] };
    }
    default:
      if (LOG_TARGETS.has(t.name)) {
        pushStep(b, env, rule, chain, 'log', `${why}; ${t.name} records the packet and the walk continues`, {
          ...extra,
          label: makeLabel(chain, b.service),
        });
        return { kind: 'continue', branches: [b], exits: [] };
      }
      if (t.name === 'QUEUE' || t.name === 'NFQUEUE') {
        const text = `${t.name}: handed to a userspace program; assumed it accepts`;
        assume(b, `line ${rule.line}: ${text}`);
        pushStep(b, env, rule, chain, 'accept', `${why}; ${text}`, {
          ...extra,
          label: makeLabel(chain, b.service),
          assumptions: [text],
        });
        return { kind: 'end', exits: [{ b, kind: 'accept' }] };
      }
      {
        const text = `target '${t.name}' not modelled; assumed to let the packet continue unchanged`;
        assume(b, `line ${rule.line}: ${text}`);
        pushStep(b, env, rule, chain, 'note', `${why}; ${text}`, {
          ...extra,
          label: makeLabel(chain, b.service),
          assumptions: [text],
        });
        return { kind: 'continue', branches: [b], exits: [] };
      }
  }
}

function dnat(env: WalkEnv, chain: string, rule: Rule, b: Branch, why: string, extra: object): TargetResult {
  const t = rule.target!;
  let ip: string;
  let port: number;
  let note = '';
  if (t.name === 'REDIRECT') {
    const ports = natSpecOf(t, 'to-ports');
    // REDIRECT = DNAT to the incoming interface's primary address (loopback for OUTPUT).
    const v6 = b.pkt.dst.includes(':');
    const loop = v6 ? '::1' : '127.0.0.1';
    const primary = env.hook === 'OUTPUT' || !b.pkt.inIface ? undefined : env.node.addressOf(b.pkt.inIface, v6);
    ip = primary ?? loop;
    port = ports ? Number(ports.split('-')[0]) : b.pkt.dport;
    note = ' (REDIRECT to the node itself)';
    if (env.hook !== 'OUTPUT' && !primary)
      assume(b, `line ${rule.line}: REDIRECT: the incoming interface's address is unknown; shown as ${loop}`);
  } else {
    const spec = natSpecOf(t, 'to-destination') ?? '';
    const ns = parseNatSpec(spec);
    if (!ns) {
      assume(b, `line ${rule.line}: DNAT target '${spec}' not understood; packet left unchanged`);
      pushStep(b, env, rule, chain, 'note', `${why}; DNAT spec '${spec}' not understood`, extra);
      return { kind: 'continue', branches: [b], exits: [] };
    }
    ip = ns.ip;
    port = ns.port ?? b.pkt.dport;
    if (ns.range) {
      note = ` (range ${ns.range}: the kernel picks one; the first is shown)`;
      assume(b, `line ${rule.line}: DNAT range ${ns.range}: shown as its first address/port`);
    }
  }
  const to = formatEndpoint(ip, port);
  b.dnat = { ip, port };
  b.pkt.dst = ip;
  b.pkt.dport = port;
  if (b.service) b.endpointService = b.service;
  pushStep(b, env, rule, chain, 'dnat', `${why}; DNAT to ${to}${note}`, {
    ...extra,
    label: makeLabel(chain, b.service, to),
  });
  return { kind: 'end', exits: [{ b, kind: 'nat' }] };
}
