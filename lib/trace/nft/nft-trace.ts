/**
 * nftables-mode tracer. Base chains are matched by hook and priority, never by name (kube-proxy
 * renamed them across versions), across every nft table of the packet's family (so a host
 * firewall in `table inet filter` is honoured too); at each hook they run in priority order.
 * Path: prerouting → route → input | forward → postrouting; node-originated: output → route →
 * postrouting (→ input on lo when the destination is local).
 */
import type { NftRuleset, NftTable } from '@/lib/model/nft';
import type { Packet, TraceResult } from '@/lib/model/trace';
import type { Branch } from '@/lib/trace/core/branch';
import { nodeViewFor } from '@/lib/trace/core/node-view';
import type { NodeView } from '@/lib/trace/core/node-view';
import { nftWalkChain } from '@/lib/trace/nft/nft-walk';
import { commonNotes, startBranch } from '@/lib/trace/core/engine-start';
import type { EngineOptions } from '@/lib/trace/core/engine-start';
import { outcomesOf } from '@/lib/trace/core/outcome';
import { isIPv6 } from '@/lib/net/ip';
import type { TraceInputs } from '@/lib/model/trace-inputs';

/** kube-proxy's own table (`table ip kube-proxy` / `table ip6 kube-proxy`), if present. */
export function kubeProxyNftTable(rs: NftRuleset, family: 'ip' | 'ip6'): NftTable | undefined {
  return rs.tables.find((t) => t.family === family && t.name === 'kube-proxy');
}

interface Ctx {
  tables: NftTable[];
  node: NodeView;
  notes: Set<string>;
}

function runHook(ctx: Ctx, branches: Branch[], hook: string, done: Branch[]): Branch[] {
  const chains = ctx.tables
    .flatMap((t) =>
      Object.values(t.chains)
        .filter((c) => c.hook === hook)
        .map((c) => ({ t, c })),
    )
    .sort((a, b) => (a.c.priority ?? 0) - (b.c.priority ?? 0));
  let live = branches;
  for (const { t, c } of chains) {
    const next: Branch[] = [];
    const env = { table: t, node: ctx.node, notes: ctx.notes };
    for (const b of live) {
      b.steps.push({
        table: `${t.family} ${t.name}`,
        chain: c.name,
        line: c.line,
        raw: '',
        effect: 'enter',
        why: `enters ${c.name} (hook ${hook}, priority ${c.priority ?? 0}, type ${c.type ?? 'filter'})`,
      });
      for (const e of nftWalkChain(env, c.name, b)) {
        if (e.kind === 'drop' || e.kind === 'reject') {
          e.b.verdict = e.kind;
          done.push(e.b);
        } else if ((e.kind === 'fall' || e.kind === 'return') && c.policy === 'drop') {
          e.b.steps.push({
            table: `${t.family} ${t.name}`,
            chain: c.name,
            line: c.line,
            raw: '',
            effect: 'policy',
            why: `end of ${c.name}: policy drop`,
          });
          e.b.verdict = 'drop';
          done.push(e.b);
        } else next.push(e.b);
      }
    }
    live = next;
  }
  return live;
}

function route(ctx: Ctx, b: Branch, local: boolean, origin: 'in' | 'out'): void {
  const r = local ? undefined : ctx.node.route(b.pkt.dst);
  b.pkt.outIface = local ? (origin === 'out' ? 'lo' : undefined) : r?.device;
  const why = local
    ? `${b.pkt.dst} is a local address of the node: delivered locally (input)`
    : `${b.pkt.dst} is not local: ${origin === 'in' ? 'forwarded (forward)' : 'sent out'}${r?.device ? ` via dev ${r.device}` : ''}`;
  b.steps.push({ table: 'routing', chain: 'routing decision', line: 0, raw: '', effect: 'route', why });
}

function runPath(ctx: Ctx, start: Branch): Branch[] {
  const done: Branch[] = [];
  const finish = (bs: Branch[], path: Branch['path']): void =>
    bs.forEach((b) => {
      b.path = path;
      done.push(b);
    });
  if (ctx.node.isLocal(start.pkt.src)) {
    start.pkt.outIface = ctx.node.route(start.pkt.dst)?.device;
    const live = runHook(ctx, [start], 'output', done);
    const loc = live.filter((b) => ctx.node.isLocal(b.pkt.dst));
    const away = live.filter((b) => !ctx.node.isLocal(b.pkt.dst));
    loc.forEach((b) => route(ctx, b, true, 'out'));
    away.forEach((b) => route(ctx, b, false, 'out'));
    finish(runHook(ctx, away, 'postrouting', done), 'output');
    const back = runHook(ctx, loc, 'postrouting', done);
    back.forEach((b) => {
      b.pkt.inIface = 'lo';
    });
    finish(runHook(ctx, back, 'input', done), 'local');
    return done;
  }
  if (start.pkt.inIface === undefined) start.pkt.inIface = ctx.node.ingressFor(start.pkt.src);
  const live = runHook(ctx, [start], 'prerouting', done);
  const loc = live.filter((b) => ctx.node.isLocal(b.pkt.dst));
  const fwd = live.filter((b) => !ctx.node.isLocal(b.pkt.dst));
  loc.forEach((b) => route(ctx, b, true, 'in'));
  fwd.forEach((b) => route(ctx, b, false, 'in'));
  finish(runHook(ctx, loc, 'input', done), 'local');
  finish(runHook(ctx, runHook(ctx, fwd, 'forward', done), 'postrouting', done), 'forward');
  return done;
}

export function traceNft(inputs: TraceInputs, packet: Packet, opts: EngineOptions = {}): TraceResult {
  void opts;
  const family = isIPv6(packet.dst) ? 'ip6' : 'ip';
  const notes = new Set<string>();
  const warnings: string[] = [];
  const all = inputs.nft?.tables ?? [];
  const tables = all.filter((t) => (t.family === family || t.family === 'inet') && !t.managedByIptablesNft);
  if (!inputs.nft) warnings.push('nftables mode but no nft ruleset given');
  else if (!kubeProxyNftTable(inputs.nft, family))
    warnings.push(`no table ${family} kube-proxy in the nft ruleset: kube-proxy has no rules for this family here`);
  if (all.some((t) => t.managedByIptablesNft)) {
    warnings.push(
      'the ruleset also holds iptables-nft tables (ip filter/nat written through iptables); they are not evaluated here — trace them with --iptables-save',
    );
  }
  const node = nodeViewFor(inputs);
  commonNotes(packet, notes);
  for (const a of node.assumptions) notes.add(a);
  const ctx: Ctx = { tables, node, notes };
  const outcomes = outcomesOf(runPath(ctx, startBranch(packet)), packet);
  return { packet, node: inputs.node, mode: 'nftables', outcomes, notes: [...notes], warnings };
}
