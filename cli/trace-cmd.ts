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
import { traceInputsFromTexts } from '@/lib/snapshot/to-trace-inputs';
import type { CaptureTexts } from '@/lib/snapshot/to-trace-inputs';
import { isIPv4, isIPv6 } from '@/lib/net/ip';
import type { TraceInputs } from '@/lib/model/trace-inputs';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { answerQuestion, QuestionError } from '@/lib/question/answer-question';
import { answerNodeTrace } from '@/lib/question/answer-trace';
import { formatAnswerText, formatPathText } from '@/cli/format-answer-text';

const USAGE = `usage: kubepath trace --iptables-save FILE [--ip6tables-save FILE] [--ipvsadm FILE] [--ipset FILE]
                      [--nft FILE] [--ip-addr FILE] [--ip-route FILE] [--local-ip IP[,IP...]]
                      --src IP --dst IP --port N [--proto tcp|udp|sctp] [--sport N] [--json] [--compat] [--lenient]
       kubepath trace --snapshot FILE --src pod:NS/NAME|node:NAME|IP --dst IP --port N [--node NAME] [--proto ...] [--json]

--nft takes \`nft list ruleset\` (text or -j JSON) or an \`nft -f\` script of add/flush/delete commands
(knftables form, as kube-proxy's nftables proxier writes it).
--iptables-save is required unless --nft or --snapshot is given. --lenient traces even when a
dump has parse errors (they are listed as warnings).
With --snapshot the source decides the node: a pod (or a pod's IP) is traced on its node, a node
source on that node, and the packet is followed across the nodes it crosses. --node is needed only
for an address outside the cluster; a --node other than the source's own is a what-if (warnings).`;

const FILE_FLAGS: [string, keyof CaptureTexts][] = [
  ['iptables-save', 'iptables'],
  ['ip6tables-save', 'ip6tables'],
  ['ipvsadm', 'ipvsadm'],
  ['ipset', 'ipset'],
  ['nft', 'nft'],
  ['ip-addr', 'ipAddr'],
  ['ip-route', 'ipRoute'],
];

class InputError extends Error {}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * The question asked of a snapshot: the source decides the node and the whole path is followed.
 * An outside address needs --node, except in a one-node snapshot (it can arrive nowhere else).
 */
function traceSnapshot(a: ParsedArgs, packet: Packet, src: string): string {
  const snap: ClusterSnapshot = loadSnapshot(a.values.snapshot!);
  const want = a.values.node;
  if (want !== undefined) pickNode(snap, want); // "not in the snapshot (nodes: ...)" usage error
  const ask = (node: string | undefined) =>
    answerQuestion(snap, { src, dst: packet.dst, port: packet.port, proto: packet.proto, sport: packet.sport, node });
  let r;
  try {
    r = ask(want);
  } catch (e) {
    if (!(e instanceof QuestionError)) throw e;
    if (e.field !== 'node' || want) throw new UsageError(e.message);
    r = ask(pickNode(snap, undefined).name); // one node: that one; several: "choose one with --node"
  }
  const start = snap.nodes.find((n) => n.name === r.node);
  if (start?.error)
    throw new InputError(`node ${start.name} could not be collected (${start.error.kind}): ${start.error.message}`);
  return a.flags.json
    ? `${JSON.stringify(r, null, 2)}\n`
    : formatAnswerText(r) + formatTraceText(r) + formatPathText(r);
}

export async function run(argv: string[]): Promise<number> {
  let a: ParsedArgs;
  let packet: Packet;
  let srcText = '';
  try {
    a = parseArgs(argv, {
      values: [...FILE_FLAGS.map(([f]) => f), 'local-ip', ...PACKET_FLAGS, 'snapshot', 'node'],
      booleans: ['json', 'compat', 'lenient', 'help'],
    });
    if (a.flags.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (a.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(a.positionals[0])}`);
    // With a snapshot the source may be named (pod:NS/NAME, node:NAME); the address checks of the
    // other flags still apply (the named source stands in for itself with the destination's family).
    const named = a.values.snapshot !== undefined && /^(pod|node):/.test(a.values.src ?? '');
    packet = packetFromArgs(named ? { ...a, values: { ...a.values, src: a.values.dst ?? '' } } : a);
    if (!named && a.values.src !== undefined) srcText = packet.src;
    else srcText = a.values.src!;
    if (!a.values.snapshot && !a.values['iptables-save'] && !a.values.nft)
      throw new UsageError('--iptables-save FILE is required (or --nft FILE, or --snapshot FILE)');
    if (a.values.snapshot && FILE_FLAGS.some(([f]) => a.values[f]))
      throw new UsageError('--snapshot cannot be combined with dump files');
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
    if (a.values.snapshot) {
      process.stdout.write(traceSnapshot(a, packet, srcText));
      return 0;
    }
    let loaded: { inputs: TraceInputs; issues: string[]; errors: string[] };
    {
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
      process.stderr.write(
        `kubepath trace: the input has errors (rerun with --lenient to trace anyway):\n${loaded.errors.map((e) => `  ${e}`).join('\n')}\n`,
      );
      return 1;
    }
    const traced = tracePacket(loaded.inputs, packet, { compat: a.flags.compat });
    // --compat reproduces upstream's test tracer output; the question-level answer is ours, not theirs.
    const result = a.flags.compat ? traced : answerNodeTrace(loaded.inputs, traced);
    result.warnings.push(...loaded.issues);
    process.stdout.write(
      a.flags.json
        ? `${JSON.stringify(result, null, 2)}\n`
        : (a.flags.compat ? '' : formatAnswerText(result)) + formatTraceText(result),
    );
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
