/**
 * Raw captures → TraceInputs. Used by the CLI (files), the console and the report (a node of a
 * snapshot). Every present capture goes through its parser; parse problems are returned as
 * readable issue strings ("iptables-save: line 12: unknown option: ...") so the caller can
 * show them, and a capture that failed on the node is reported rather than parsed.
 */
import type { NodeCapture, RawCapture } from '@/lib/model/snapshot';
import type { ParseIssue, ParseResult } from '@/lib/parse/parse-result';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { parseIpvsadm, isIpvsUnavailable } from '@/lib/parse/ipvsadm';
import { parseIpset } from '@/lib/parse/ipset';
import { parseNft } from '@/lib/parse/nft';
import { parseNftJson } from '@/lib/parse/nft-json';
import { looksLikeNftScript, parseNftScript } from '@/lib/parse/nft-script';
import { foldIptablesNftXtWarnings } from '@/lib/parse/nft-xt-fold';
import { parseIpAddr } from '@/lib/parse/ip-addr';
import { parseIpAddrJson } from '@/lib/parse/ip-addr-json';
import { parseIpRoute } from '@/lib/parse/ip-route';
import { parseIpRouteJson } from '@/lib/parse/ip-route-json';
import type { TraceInputs } from '@/lib/model/trace-inputs';

/** Texts of the captures, by kind (any may be absent). */
export interface CaptureTexts {
  iptables?: string;
  ip6tables?: string;
  ipvsadm?: string;
  ipset?: string;
  nft?: string;
  ipAddr?: string;
  ipRoute?: string;
}

export interface LoadedInputs {
  inputs: TraceInputs;
  /** Human-readable problems: "<source>: line N: reason: <line>". */
  issues: string[];
  /** The issues that are errors (not warnings), same format. */
  errors: string[];
}

const looksJson = (t: string): boolean => /^\s*[[{]/.test(t);

function collect<T>(source: string, r: ParseResult<T>, out: LoadedInputs): T {
  for (const i of r.issues as ParseIssue[]) {
    const msg = `${source}: line ${i.line}: ${i.reason}${i.raw ? `: ${JSON.stringify(i.raw)}` : ''}`;
    out.issues.push(msg);
    if (i.severity === 'error') out.errors.push(msg);
  }
  return r.value;
}

/** Parse every present capture text with its parser. `names` labels sources (file names). */
export function traceInputsFromTexts(
  t: CaptureTexts,
  names: Partial<Record<keyof CaptureTexts, string>> = {},
): LoadedInputs {
  const out: LoadedInputs = { inputs: {}, issues: [], errors: [] };
  const n = (k: keyof CaptureTexts, d: string): string => names[k] ?? d;
  if (t.iptables !== undefined)
    out.inputs.iptables = collect(
      n('iptables', 'iptables-save'),
      parseIptablesSave(t.iptables, { family: 'ipv4', source: n('iptables', 'iptables-save') }),
      out,
    );
  if (t.ip6tables !== undefined)
    out.inputs.ip6tables = collect(
      n('ip6tables', 'ip6tables-save'),
      parseIptablesSave(t.ip6tables, { family: 'ipv6', source: n('ip6tables', 'ip6tables-save') }),
      out,
    );
  if (t.ipvsadm !== undefined) {
    const r = parseIpvsadm(t.ipvsadm);
    if (isIpvsUnavailable(r)) out.issues.push(`${n('ipvsadm', 'ipvsadm')}: IPVS not available on this node`);
    else out.inputs.ipvs = collect(n('ipvsadm', 'ipvsadm'), r, out);
  }
  if (t.ipset !== undefined) out.inputs.ipsets = collect(n('ipset', 'ipset'), parseIpset(t.ipset), out);
  if (t.nft !== undefined) {
    // `nft list ruleset` (text or -j JSON), or an `nft -f` command script (knftables: `add rule …`).
    const r = looksJson(t.nft)
      ? parseNftJson(t.nft)
      : looksLikeNftScript(t.nft)
        ? parseNftScript(t.nft)
        : parseNft(t.nft);
    // With iptables-save at hand, iptables-nft's own tables need no per-rule "xt is opaque" warning.
    const issues =
      out.inputs.iptables || out.inputs.ip6tables ? foldIptablesNftXtWarnings(r.value, r.issues) : r.issues;
    out.inputs.nft = collect(n('nft', 'nft'), { value: r.value, issues }, out);
  }
  if (t.ipAddr !== undefined)
    out.inputs.interfaces = collect(
      n('ipAddr', 'ip addr'),
      looksJson(t.ipAddr) ? parseIpAddrJson(t.ipAddr) : parseIpAddr(t.ipAddr),
      out,
    );
  if (t.ipRoute !== undefined)
    out.inputs.routes = collect(
      n('ipRoute', 'ip route'),
      looksJson(t.ipRoute) ? parseIpRouteJson(t.ipRoute) : parseIpRoute(t.ipRoute),
      out,
    );
  return out;
}

function usable(kind: string, c: RawCapture | undefined, issues: string[]): string | undefined {
  if (!c) return undefined;
  if (c.error) {
    issues.push(`${kind}: not captured: ${c.error}`);
    return undefined;
  }
  if (c.truncated) issues.push(`${kind}: output was truncated at the agent's cap; rules after the cut are missing`);
  if (c.exitCode !== 0 && c.exitCode !== null && !c.stdout.trim()) {
    issues.push(`${kind}: command exited ${c.exitCode}${c.stderr ? `: ${c.stderr.trim().split('\n')[0]}` : ''}`);
    return kind === 'ipvsadm' ? c.stderr : undefined;
  }
  return c.stdout;
}

/** Parse a snapshot node's captures into TraceInputs (plus issues to show). */
export function nodeTraceInputs(node: NodeCapture): { inputs: TraceInputs; issues: string[] } {
  const pre: string[] = [];
  const c = node.captures;
  const texts: CaptureTexts = {
    iptables: usable('iptables-save', c['iptables-save'], pre),
    ip6tables: usable('ip6tables-save', c['ip6tables-save'], pre),
    ipvsadm: usable('ipvsadm', c.ipvsadm, pre),
    ipset: usable('ipset', c.ipset, pre),
    nft: usable('nft', c.nft, pre),
    ipAddr: usable('ip-addr', c['ip-addr'], pre),
    ipRoute: usable('ip-route', c['ip-route'], pre),
  };
  const r = traceInputsFromTexts(texts);
  const legacy = usable('iptables-legacy-save', c['iptables-legacy-save'], pre);
  if (legacy?.trim() && r.inputs.iptables)
    pre.push('iptables-legacy-save also holds rules: this trace uses the nft backend dump only');
  r.inputs.node = node.name;
  if (node.proxyMode) r.inputs.proxyMode = node.proxyMode;
  return { inputs: r.inputs, issues: [...pre, ...r.issues] };
}
