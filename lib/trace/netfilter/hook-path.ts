/**
 * The packet's path through the kernel's netfilter hooks, walking the REAL built-in chains of
 * every table in hook/priority order (raw → mangle → nat → filter), with the routing decision
 * in between:
 *   inbound/forwarded: PREROUTING → route → INPUT (filter, then nat INPUT)  | FORWARD → POSTROUTING
 *   node-originated:   OUTPUT (raw, mangle, nat) → reroute → filter OUTPUT → POSTROUTING
 *                      (→ filter INPUT on lo when the destination is local)
 * A chain that falls off its end takes the built-in chain's policy.
 */
import type { NetfilterDump, TableName } from '@/lib/model/netfilter';
import type { IpSetList } from '@/lib/model/ipvs';
import type { Branch } from '@/lib/trace/core/branch';
import type { NodeView } from '@/lib/trace/core/node-view';
import { walkChain } from '@/lib/trace/netfilter/walk-chain';
import { pushStep, type WalkEnv } from '@/lib/trace/netfilter/walk-env';

export interface HookCtx {
  dump: NetfilterDump;
  node: NodeView;
  ipsets?: IpSetList;
  notes: Set<string>;
  /** 'iptables' or 'ip6tables': prefixes the table in step labels. */
  tool: string;
  indexMinRules?: number;
  /** IPVS stage (LOCAL_IN after filter INPUT, LOCAL_OUT after nat OUTPUT); returns null if no virtual server matched. */
  ipvs?: (b: Branch, where: 'input' | 'output') => Branch[] | null;
}

/** Walk one hook of one table for every branch; returns the branches that go on. */
export function runHook(ctx: HookCtx, branches: Branch[], table: TableName, hook: string): Branch[] {
  const t = ctx.dump.tables[table];
  const chain = t?.chains[hook];
  if (!chain) return branches;
  const env: WalkEnv = {
    dump: ctx.dump,
    table,
    tableLabel: ctx.tool === 'iptables' ? table : `${ctx.tool} ${table}`,
    hook,
    node: ctx.node,
    ipsets: ctx.ipsets,
    notes: ctx.notes,
    indexMinRules: ctx.indexMinRules,
  };
  const out: Branch[] = [];
  for (const b of branches) {
    if (table === 'nat' && b.untracked) {
      out.push(b); // nat hooks only see tracked connections
      continue;
    }
    const interesting = chain.rules.length > 0 || chain.policy === 'DROP';
    if (interesting) pushStep(b, env, null, hook, 'enter', `enters ${table} ${hook}`, { line: chain.line });
    for (const e of walkChain(env, hook, b)) {
      const x = e.b;
      x.service = undefined; // a hook's walk is over: the next hook starts outside any Service chain
      if (e.kind === 'drop' || e.kind === 'reject') {
        x.verdict = e.kind;
        out.push(x);
      } else if (e.kind === 'fall' || e.kind === 'return') {
        const policy = chain.policy ?? 'ACCEPT';
        if (interesting) {
          pushStep(
            x,
            env,
            null,
            hook,
            'policy',
            `end of ${table} ${hook}: policy ${policy}${policy === 'DROP' ? ' — the packet is discarded' : ''}`,
            { line: chain.line },
          );
        }
        if (policy === 'DROP') x.verdict = 'drop';
        out.push(x);
      } else out.push(x); // accept, or a NAT target decided this hook
    }
  }
  return out;
}

/** Run a sequence of hooks; branches with a verdict drop out into `done`. */
function runHooks(ctx: HookCtx, branches: Branch[], hooks: [TableName, string][], done: Branch[]): Branch[] {
  let live = branches;
  for (const [table, hook] of hooks) {
    const next = runHook(ctx, live, table, hook);
    live = [];
    for (const b of next) (b.verdict ? done : live).push(b);
  }
  return live;
}

function routeStep(ctx: HookCtx, b: Branch, local: boolean, origin: 'in' | 'out'): void {
  const env = { tableLabel: 'routing' } as WalkEnv;
  if (local) {
    b.pkt.outIface = origin === 'out' ? 'lo' : undefined;
    pushStep(
      b,
      env,
      null,
      'routing decision',
      'route',
      `${b.pkt.dst} is a local address of the node${ctx.node.interfaceOf(b.pkt.dst) ? ` (on ${ctx.node.interfaceOf(b.pkt.dst)})` : ''}: delivered locally (INPUT)`,
    );
    return;
  }
  const r = ctx.node.route(b.pkt.dst);
  b.pkt.outIface = r?.device;
  const dead =
    r?.type === 'blackhole' ? 'drop' : r?.type === 'unreachable' || r?.type === 'prohibit' ? 'reject' : undefined;
  if (dead) {
    // The kernel's routing table itself discards the packet (blackhole) or answers ICMP unreachable.
    pushStep(
      b,
      env,
      null,
      'routing decision',
      dead,
      `${b.pkt.dst} matches a ${r!.type} route${r!.raw ? ` (${r!.raw.trim()})` : ''}: ${dead === 'drop' ? 'silently discarded' : 'ICMP unreachable'}`,
    );
    b.verdict = dead;
    return;
  }
  const via = r ? ` via ${r.gateway ? `${r.gateway} ` : ''}dev ${r.device ?? '?'}` : '';
  const assumption = ctx.node.addressesKnown ? '' : ' (assumed: node addresses unknown)';
  pushStep(
    b,
    env,
    null,
    'routing decision',
    'route',
    `${b.pkt.dst} is not local: ${origin === 'in' ? 'forwarded (FORWARD)' : 'sent out'}${via}${assumption}`,
  );
}

/** Trace branches from the first hook to the last; returns every finished branch. */
export function runPath(ctx: HookCtx, start: Branch): Branch[] {
  const done: Branch[] = [];
  const fromNode = ctx.node.isLocal(start.pkt.src);
  if (fromNode) {
    start.pkt.outIface = ctx.node.route(start.pkt.dst)?.device;
    let live = runHooks(
      ctx,
      [start],
      [
        ['raw', 'OUTPUT'],
        ['mangle', 'OUTPUT'],
        ['nat', 'OUTPUT'],
      ],
      done,
    );
    if (ctx.ipvs) {
      const all = live.flatMap((b) => ctx.ipvs!(b, 'output') ?? [b]);
      live = [];
      for (const b of all) (b.verdict ? done : live).push(b);
    }
    const local: Branch[] = [];
    const away: Branch[] = [];
    for (const b of live) {
      const isLocal = ctx.node.isLocal(b.pkt.dst);
      routeStep(ctx, b, isLocal, 'out');
      (b.verdict ? done : isLocal ? local : away).push(b);
    }
    for (const b of runHooks(
      ctx,
      away,
      [
        ['filter', 'OUTPUT'],
        ['security', 'OUTPUT'],
        ['mangle', 'POSTROUTING'],
        ['nat', 'POSTROUTING'],
      ],
      done,
    )) {
      b.path = 'output';
      done.push(b);
    }
    let loc = runHooks(
      ctx,
      local,
      [
        ['filter', 'OUTPUT'],
        ['security', 'OUTPUT'],
        ['mangle', 'POSTROUTING'],
        ['nat', 'POSTROUTING'],
      ],
      done,
    );
    // Looped back on lo: it re-enters PREROUTING, but conntrack already holds the NAT decision,
    // so nat PREROUTING is skipped; raw/mangle PREROUTING and the INPUT chains run.
    for (const b of loc) b.pkt.inIface = 'lo';
    loc = runHooks(
      ctx,
      loc,
      [
        ['raw', 'PREROUTING'],
        ['mangle', 'PREROUTING'],
        ['mangle', 'INPUT'],
        ['filter', 'INPUT'],
        ['security', 'INPUT'],
      ],
      done,
    );
    for (const b of loc) {
      b.path = 'local';
      done.push(b);
    }
    return done;
  }
  if (start.pkt.inIface === undefined) start.pkt.inIface = ctx.node.ingressFor(start.pkt.src);
  const live = runHooks(
    ctx,
    [start],
    [
      ['raw', 'PREROUTING'],
      ['mangle', 'PREROUTING'],
      ['nat', 'PREROUTING'],
    ],
    done,
  );
  const local: Branch[] = [];
  const fwd: Branch[] = [];
  for (const b of live) {
    const isLocal = ctx.node.isLocal(b.pkt.dst);
    routeStep(ctx, b, isLocal, 'in');
    (b.verdict ? done : isLocal ? local : fwd).push(b);
  }
  let loc = runHooks(
    ctx,
    local,
    [
      ['mangle', 'INPUT'],
      ['filter', 'INPUT'],
      ['security', 'INPUT'],
    ],
    done,
  );
  if (ctx.ipvs) {
    const viaIpvs: Branch[] = [];
    const stay: Branch[] = [];
    for (const b of loc) {
      const r = ctx.ipvs(b, 'input');
      if (r === null) stay.push(b);
      else for (const x of r) (x.verdict ? done : viaIpvs).push(x);
    }
    loc = stay;
    // IPVS sends the rewritten packet out through LOCAL_OUT/POSTROUTING (masquerade happens there).
    for (const b of runHooks(
      ctx,
      viaIpvs,
      [
        ['mangle', 'POSTROUTING'],
        ['nat', 'POSTROUTING'],
      ],
      done,
    )) {
      b.path = 'forward';
      done.push(b);
    }
  }
  for (const b of runHooks(ctx, loc, [['nat', 'INPUT']], done)) {
    b.path = 'local';
    done.push(b);
  }
  for (const b of runHooks(
    ctx,
    fwd,
    [
      ['mangle', 'FORWARD'],
      ['filter', 'FORWARD'],
      ['security', 'FORWARD'],
      ['mangle', 'POSTROUTING'],
      ['nat', 'POSTROUTING'],
    ],
    done,
  )) {
    b.path = 'forward';
    done.push(b);
  }
  return done;
}
