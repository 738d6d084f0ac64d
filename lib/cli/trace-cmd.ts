/**
 * `kubepath trace`: trace one new connection through a node's rules, from dump files or from a
 * snapshot. Invalid questions (IP, port, protocol, missing inputs) are usage errors (exit 2);
 * unreadable files and parse errors exit 1 with the file, line number and line.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, UsageError } from '@/lib/cli/args';
import type { ParsedArgs } from '@/lib/cli/args';
import type { Packet, Protocol } from '@/lib/model/trace';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { TraceInputs } from '@/lib/trace/inputs';
import { tracePacket } from '@/lib/trace/trace-packet';
import { formatTraceText } from '@/lib/trace/format-text';
import { traceInputsFromTexts, nodeTraceInputs } from '@/lib/snapshot/to-trace-inputs';
import type { CaptureTexts } from '@/lib/snapshot/to-trace-inputs';
import { isIPv4, isIPv6, normalizeIp } from '@/lib/net/ip';

const USAGE = `usage: kubepath trace --iptables-save FILE [--ip6tables-save FILE] [--ipvsadm FILE] [--ipset FILE]
                      [--nft FILE] [--ip-addr FILE] [--ip-route FILE] [--local-ip IP[,IP...]]
                      --src IP --dst IP --port N [--proto tcp|udp|sctp] [--sport N] [--json] [--compat] [--lenient]
       kubepath trace --snapshot FILE [--node NAME] --src IP --dst IP --port N [--proto ...] [--json]

--iptables-save is required unless --nft or --snapshot is given. --lenient traces even when a
dump has parse errors (they are listed as warnings).`;

const FILE_FLAGS: [string, keyof CaptureTexts][] = [
  ['iptables-save', 'iptables'], ['ip6tables-save', 'ip6tables'], ['ipvsadm', 'ipvsadm'], ['ipset', 'ipset'],
  ['nft', 'nft'], ['ip-addr', 'ipAddr'], ['ip-route', 'ipRoute'],
];

class InputError extends Error {}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function question(a: ParsedArgs): Packet {
  const ip = (name: string): string => {
    const v = a.values[name];
    if (!v) throw new UsageError(`--${name} is required`);
    if (!isIPv4(v) && !isIPv6(v)) throw new UsageError(`--${name} ${JSON.stringify(v)} is not an IPv4 or IPv6 address`);
    return normalizeIp(v)!;
  };
  const port = (name: string, req: boolean): number | undefined => {
    const v = a.values[name];
    if (v === undefined) {
      if (req) throw new UsageError(`--${name} is required`);
      return undefined;
    }
    if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new UsageError(`--${name} ${JSON.stringify(v)} is not a port (1-65535)`);
    return Number(v);
  };
  const proto = (a.values.proto ?? 'tcp').toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') throw new UsageError(`--proto ${JSON.stringify(a.values.proto)} must be tcp, udp or sctp`);
  const src = ip('src');
  const dst = ip('dst');
  if (isIPv4(src) !== isIPv4(dst)) throw new UsageError('--src and --dst must be the same IP family');
  const p: Packet = { src, dst, port: port('port', true)!, proto: proto as Protocol };
  const sport = port('sport', false);
  if (sport !== undefined) p.sport = sport;
  return p;
}

function fromSnapshot(a: ParsedArgs): { inputs: TraceInputs; issues: string[]; errors: string[] } {
  const file = a.values.snapshot!;
  let snap: ClusterSnapshot;
  try {
    snap = JSON.parse(readText(file)) as ClusterSnapshot;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: not a snapshot (invalid JSON: ${(e as Error).message})`);
  }
  if (!snap || !Array.isArray(snap.nodes)) throw new InputError(`${file}: not a kubepath snapshot (no "nodes" array)`);
  const names = snap.nodes.map((n) => n.name);
  const want = a.values.node;
  if (!want && snap.nodes.length !== 1) throw new UsageError(`the snapshot holds ${snap.nodes.length} nodes (${names.join(', ')}): choose one with --node`);
  const node = want ? snap.nodes.find((n) => n.name === want) : snap.nodes[0];
  if (!node) throw new UsageError(`node ${JSON.stringify(want)} is not in the snapshot (nodes: ${names.join(', ') || 'none'})`);
  if (node.error) throw new InputError(`node ${node.name} could not be collected (${node.error.kind}): ${node.error.message}`);
  const r = nodeTraceInputs(node);
  return { inputs: r.inputs, issues: r.issues, errors: [] };
}

export async function run(argv: string[]): Promise<number> {
  let a: ParsedArgs;
  let packet: Packet;
  try {
    a = parseArgs(argv, { values: [...FILE_FLAGS.map(([f]) => f), 'local-ip', 'src', 'dst', 'port', 'proto', 'sport', 'snapshot', 'node'], booleans: ['json', 'compat', 'lenient', 'help'] });
    if (a.flags.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (a.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(a.positionals[0])}`);
    packet = question(a);
    if (!a.values.snapshot && !a.values['iptables-save'] && !a.values.nft) throw new UsageError('--iptables-save FILE is required (or --nft FILE, or --snapshot FILE)');
    if (a.values.snapshot && FILE_FLAGS.some(([f]) => a.values[f])) throw new UsageError('--snapshot cannot be combined with dump files');
    for (const ip of (a.values['local-ip'] ?? '').split(',').filter(Boolean)) {
      if (!isIPv4(ip) && !isIPv6(ip)) throw new UsageError(`--local-ip ${JSON.stringify(ip)} is not an IP address`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`kubepath trace: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  try {
    let loaded: { inputs: TraceInputs; issues: string[]; errors: string[] };
    if (a.values.snapshot) loaded = fromSnapshot(a);
    else {
      const texts: CaptureTexts = {};
      const names: Partial<Record<keyof CaptureTexts, string>> = {};
      for (const [flag, key] of FILE_FLAGS) {
        const f = a.values[flag];
        if (f) {
          texts[key] = readText(f);
          names[key] = f;
        }
      }
      loaded = traceInputsFromTexts(texts, names);
    }
    const local = (a.values['local-ip'] ?? '').split(',').filter(Boolean);
    if (local.length) loaded.inputs.localIPs = [...(loaded.inputs.localIPs ?? []), ...local];
    if (loaded.errors.length && !a.flags.lenient) {
      process.stderr.write(`kubepath trace: the input has errors (rerun with --lenient to trace anyway):\n${loaded.errors.map((e) => `  ${e}`).join('\n')}\n`);
      return 1;
    }
    const result = tracePacket(loaded.inputs, packet, { compat: a.flags.compat });
    result.warnings.push(...loaded.issues);
    process.stdout.write(a.flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatTraceText(result));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`kubepath trace: ${e.message}\n`);
      return 2;
    }
    if (e instanceof InputError || (e instanceof Error && e.name === 'ParseError')) {
      process.stderr.write(`kubepath trace: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
