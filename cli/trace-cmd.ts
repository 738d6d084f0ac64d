/**
 * `kubepath trace`: trace one new connection through a node's rules, from dump files or from a
 * snapshot. Invalid questions (IP, port, protocol, missing inputs) are usage errors (exit 2);
 * unreadable files and parse errors exit 1 with the file, line number and line.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, UsageError } from '@/cli/args';
import type { ParsedArgs } from '@/cli/args';
import type { Packet } from '@/lib/model/trace';
import { PACKET_FLAGS, packetFromArgs, pickNode } from '@/cli/packet-flags';
import { loadSnapshot } from '@/lib/snapshot/io';
import { tracePacket } from '@/lib/trace/trace-packet';
import { formatTraceText } from '@/cli/format-trace-text';
import { traceInputsFromTexts, nodeTraceInputs } from '@/lib/snapshot/to-trace-inputs';
import type { CaptureTexts } from '@/lib/snapshot/to-trace-inputs';
import { isIPv4, isIPv6 } from '@/lib/net/ip';
import type { TraceInputs } from '@/lib/model/trace-inputs';

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

function fromSnapshot(a: ParsedArgs): { inputs: TraceInputs; issues: string[]; errors: string[] } {
  const node = pickNode(loadSnapshot(a.values.snapshot!), a.values.node);
  if (node.error) throw new InputError(`node ${node.name} could not be collected (${node.error.kind}): ${node.error.message}`);
  const r = nodeTraceInputs(node);
  return { inputs: r.inputs, issues: r.issues, errors: [] };
}

export async function run(argv: string[]): Promise<number> {
  let a: ParsedArgs;
  let packet: Packet;
  try {
    a = parseArgs(argv, { values: [...FILE_FLAGS.map(([f]) => f), 'local-ip', ...PACKET_FLAGS, 'snapshot', 'node'], booleans: ['json', 'compat', 'lenient', 'help'] });
    if (a.flags.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (a.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(a.positionals[0])}`);
    packet = packetFromArgs(a);
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
    if (e instanceof InputError || (e instanceof Error && (e.name === 'ParseError' || e.name === 'SnapshotError'))) {
      process.stderr.write(`kubepath trace: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
