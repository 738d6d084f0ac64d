/**
 * Case reports go to stdout only when they fail (through the assertion message); with
 * KP_KERNEL_REPORT=<file> every report is also appended as one JSON line, which is how the
 * measured figures in the engineering report were collected.
 */
import { appendFileSync } from 'node:fs';
import type { CaseReport } from './lab-case';

export function recordReport(suite: string, r: CaseReport, tracerFrom: string): void {
  const file = process.env.KP_KERNEL_REPORT;
  if (!file) return;
  const { trace: _trace, ...rest } = r;
  appendFileSync(file, JSON.stringify({ suite, tracerFrom, ...rest }) + '\n');
}

/** One readable block for an assertion message. */
export function describeReport(r: CaseReport): string {
  return [
    `case: ${r.name}`,
    `packet: ${r.packet.proto} ${r.packet.src} → ${r.packet.dst}:${r.packet.port}`,
    `kernel: ${r.observed}`,
    `spec:   ${r.spec}`,
    `tracer: ${r.tracer}`,
    ...r.specProblems,
    ...r.tracerProblems,
    ...r.counterProblems,
    'rules hit (iptables-save -c):',
    ...r.hits.map((h) => `  ${h}`),
  ].join('\n');
}
