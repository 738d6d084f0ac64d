/**
 * Parser for CNI network configuration files (`/etc/cni/net.d/*.conflist` and single-plugin
 * `*.conf`) into a CniConfig: name, cniVersion, the plugin chain, and the pod subnets declared in
 * IPAM sections. The container runtime uses the lexically first file, so callers parse each file
 * and keep the order. Secrets in plugin settings are redacted (cni-redact.ts).
 *
 * Subnets come from `ipam.subnet` (host-local, old form), `ipam.ranges[][].subnet` (host-local),
 * `ipam.ipv4_pools` / `ipv6_pools` (calico-ipam); `"usePodCidr"` is resolved at runtime from the
 * Node's podCIDR and is reported as a warning. Flannel writes its subnet to
 * /run/flannel/subnet.env, not to the CNI config, so a flannel config yields no subnets.
 */
import type { CniConfig, CniPlugin } from '@/lib/model/cni';
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';
import { parseJsonWithPosition } from '@/lib/parse/json-position';
import { parseCidr } from '@/lib/net/ip';
import { redactCniSettings } from '@/lib/parse/cni-redact';
import { REDACTED, redactText } from '@/lib/redact/redact';

/** An IssueSink that never lets a secret through in an issue's raw line. */
class RedactingSink extends IssueSink {
  override add(line: number, raw: string, reason: string, severity: 'error' | 'warning' = 'error'): void {
    // Issues show at most 500 characters; redact a generous head so a secret straddling the
    // cut is still caught, without running every pattern over a 100 MB line.
    const head = raw.length > 4096 ? raw.slice(0, 4096) : raw;
    super.add(line, redactText(head) + raw.slice(head.length), reason, severity);
  }
}

export interface CniParseOptions extends ParseOptions {
  /** File name shown in the result and in issues (e.g. `10-calico.conflist`). */
  file?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collect subnets from one plugin's IPAM section (and a flannel-style `delegate.ipam`). */
function ipamSubnets(plugin: Obj, warn: (msg: string) => void): string[] {
  const out: string[] = [];
  const add = (v: unknown, where: string) => {
    if (typeof v !== 'string') return;
    if (v === 'usePodCidr' || v === 'usePodCidrIPv6') {
      warn(`${where} is "${v}": the subnet is the Node's podCIDR, not stored in this file`);
    } else if (parseCidr(v) && v.includes('/')) out.push(v);
    else warn(`${where} "${v}" is not a CIDR`);
  };
  for (const ipam of [plugin.ipam, isObj(plugin.delegate) ? plugin.delegate.ipam : undefined]) {
    if (!isObj(ipam)) continue;
    add(ipam.subnet, 'ipam.subnet');
    if (Array.isArray(ipam.ranges)) {
      for (const set of ipam.ranges) {
        for (const r of Array.isArray(set) ? set : [set]) if (isObj(r)) add(r.subnet, 'ipam.ranges[].subnet');
      }
    }
    for (const key of ['ipv4_pools', 'ipv6_pools']) {
      const pools = ipam[key];
      if (Array.isArray(pools)) for (const p of pools) add(p, `ipam.${key}[]`);
    }
  }
  return out;
}

/** Parse one CNI config file (conflist or single-plugin conf). */
export function parseCni(text: string, opts: CniParseOptions = {}): ParseResult<CniConfig> {
  const file = opts.file ?? '';
  const sink = new RedactingSink(file ? `cni ${file}` : 'cni', opts.strict);
  const config: CniConfig = { file, name: '', plugins: [], subnets: [] };
  const doc = parseJsonWithPosition(text, sink);
  if (doc === undefined) return { value: config, issues: sink.issues };
  if (!isObj(doc)) {
    sink.add(1, text.split('\n')[0] ?? '', 'CNI config must be a JSON object');
    return { value: config, issues: sink.issues };
  }
  const lines = text.split('\n');
  const lineOf = (needle: string): number => {
    const i = lines.findIndex((l) => l.includes(needle));
    return i < 0 ? 0 : i + 1;
  };
  const issueAt = (needle: string, reason: string, severity: 'error' | 'warning' = 'error') => {
    const line = lineOf(needle);
    sink.add(line, line ? lines[line - 1] : '', reason, severity);
  };

  if (typeof doc.name === 'string') config.name = doc.name;
  else issueAt('"name"', 'CNI config has no string "name"');
  if (typeof doc.cniVersion === 'string') config.cniVersion = doc.cniVersion;

  // A .conf holds one plugin at top level; a .conflist has "plugins".
  const rawPlugins: unknown[] = Array.isArray(doc.plugins) ? doc.plugins : typeof doc.type === 'string' ? [doc] : [];
  if (rawPlugins.length === 0) issueAt('"plugins"', 'CNI config has neither a "plugins" list nor a plugin "type"');

  for (const p of rawPlugins) {
    if (!isObj(p) || typeof p.type !== 'string') {
      issueAt('"plugins"', 'plugin entry without a string "type"');
      continue;
    }
    const { type, ...rest } = p;
    if (p === doc) {
      delete rest.name;
      delete rest.cniVersion;
    }
    const { value, redacted } = redactCniSettings(rest);
    for (const path of redacted) {
      // Point at the key's line, but show it with the value already redacted.
      const key = path
        .split('.')
        .at(-1)!
        .replace(/\[\d+\]$/, '');
      const line =
        lines.findIndex((l) => new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`).test(l)) + 1;
      const shown = line ? `${lines[line - 1].slice(0, lines[line - 1].indexOf(':') + 1)} "${REDACTED}"` : path;
      sink.add(line, shown, `secret in ${type} plugin setting "${path}" redacted`, 'warning');
    }
    const plugin: CniPlugin = { type, settings: value as Record<string, unknown> };
    config.plugins.push(plugin);
    for (const s of ipamSubnets(p, (msg) => issueAt('"ipam"', `${type}: ${msg}`, 'warning'))) {
      if (!config.subnets.includes(s)) config.subnets.push(s);
    }
  }
  return { value: config, issues: sink.issues };
}
