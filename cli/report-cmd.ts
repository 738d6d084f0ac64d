/**
 * `kubepath report`: trace a packet on a snapshot's node and export the incident report.
 *   kubepath report --snapshot FILE --src IP --dst IP --port N [--proto P] [--node NAME]
 *                   --format html|md|json|pdf --out FILE [--by NAME] [--redact-list FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs, required, UsageError, type ParsedArgs } from '@/cli/args';
import { PACKET_FLAGS, packetFromArgs, pickNode } from '@/cli/packet-flags';
import { loadSnapshot } from '@/lib/snapshot/io';
import type { TraceResult } from '@/lib/model/trace';
import { answerQuestion, QuestionError } from '@/lib/question/answer-question';
import { buildTraceReport } from '@/lib/report/build-report';
import { renderReport, REPORT_FORMATS, type ReportFormat } from '@/lib/report/render';
import { parseRedactionList } from '@/lib/redact/redact';

const USAGE = `usage: kubepath report --snapshot FILE --src IP --dst IP --port N [--proto tcp|udp|sctp] [--node NAME]
                       --format html|md|json|pdf --out FILE [--by NAME] [--redact-list FILE]`;

function readArgs(argv: string[]): ParsedArgs {
  const a = parseArgs(argv, {
    values: ['snapshot', 'node', 'format', 'out', 'by', 'redact-list', ...PACKET_FLAGS],
    booleans: ['help'],
  });
  if (a.flags.help) return a;
  if (a.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(a.positionals[0])}`);
  required(a, 'snapshot');
  required(a, 'out');
  const format = required(a, 'format');
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
  return a;
}

export async function run(argv: string[]): Promise<number> {
  let a: ParsedArgs;
  try {
    a = readArgs(argv);
    if (a.flags.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const packet = packetFromArgs(a);
    const snapshot = loadSnapshot(a.values.snapshot!);
    const node = pickNode(snapshot, a.values.node);
    if (node.error) {
      process.stderr.write(
        `kubepath report: node ${node.name} could not be collected (${node.error.kind}): ${node.error.message}\n`,
      );
      return 1;
    }
    // The question-level answer on the chosen node (a what-if when the source lives elsewhere), with
    // the path across nodes and the verdict sentence the report puts first.
    let trace: TraceResult;
    try {
      trace = answerQuestion(snapshot, {
        src: packet.src,
        dst: packet.dst,
        port: packet.port,
        proto: packet.proto,
        sport: packet.sport,
        node: node.name,
      });
    } catch (e) {
      if (e instanceof QuestionError) throw new UsageError(e.message);
      throw e;
    }
    const redaction = a.values['redact-list']
      ? parseRedactionList(readFileSync(a.values['redact-list'], 'utf8'))
      : undefined;
    const report = buildTraceReport({
      snapshot,
      node: node.name,
      packet,
      trace,
      createdBy: a.values.by ?? `${os.userInfo().username}@${os.hostname()}`,
      redaction,
    });
    const body = await renderReport(report, a.values.format as ReportFormat);
    writeFileSync(a.values.out!, body);
    process.stderr.write(
      `kubepath report: ${report.summary}\nwrote ${a.values.out} (${a.values.format}, ${body.length} bytes)\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`kubepath report: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (
      e instanceof Error &&
      (e.name === 'SnapshotError' || e.name === 'ParseError' || (e as NodeJS.ErrnoException).code)
    ) {
      process.stderr.write(`kubepath report: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
