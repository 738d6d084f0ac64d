/**
 * Save / load ClusterSnapshot files. Loading validates the schema with zod and re-hashes every raw
 * capture: a snapshot whose text no longer matches its sha256 was edited or corrupted, and any
 * trace from it would cite rules that were never on the node.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ClusterSnapshot, RawCapture } from '@/lib/model/snapshot';
import { SNAPSHOT_SCHEMA } from '@/lib/model/snapshot';
import { sha256 } from './hash';
import { clusterSnapshotSchema } from './schema';

/** A snapshot file could not be used; `where` is a line number or a JSON path. */
export class SnapshotError extends Error {
  constructor(readonly source: string, readonly where: string, readonly reason: string) {
    super(`${source}: ${where}: ${reason}`);
    this.name = 'SnapshotError';
  }
}

function lineOf(text: string, position: number): { line: number; raw: string } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const raw = text.split('\n')[line - 1] ?? '';
  return { line, raw: raw.length > 200 ? `${raw.slice(0, 200)}…` : raw };
}

/** Every RawCapture in a snapshot with its JSON path. */
export function* allCaptures(snap: ClusterSnapshot): Generator<[string, RawCapture]> {
  for (const [i, n] of snap.nodes.entries()) {
    for (const [k, c] of Object.entries(n.captures)) if (c) yield [`nodes[${i}].captures["${k}"]`, c];
    for (const [f, c] of Object.entries(n.cniFiles ?? {})) yield [`nodes[${i}].cniFiles["${f}"]`, c];
    for (const [j, p] of (n.pods ?? []).entries()) {
      yield [`nodes[${i}].pods[${j}].ipAddr`, p.ipAddr];
      if (p.resolvConf) yield [`nodes[${i}].pods[${j}].resolvConf`, p.resolvConf];
    }
  }
}

/** Parses and validates snapshot JSON text. @throws SnapshotError naming the line or path. */
export function parseSnapshot(text: string, source = 'snapshot'): ClusterSnapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    if (pos) {
      const { line, raw } = lineOf(text, Number(pos[1]));
      throw new SnapshotError(source, `line ${line}`, `invalid JSON (${msg.split(/ in JSON| at position/)[0]}): ${JSON.stringify(raw)}`);
    }
    throw new SnapshotError(source, 'line ?', `invalid JSON: ${msg}`);
  }
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (typeof schema === 'string' && schema !== SNAPSHOT_SCHEMA) {
    throw new SnapshotError(source, 'schema', `unsupported snapshot schema "${schema}" (this kubepath reads ${SNAPSHOT_SCHEMA})`);
  }
  const parsed = clusterSnapshotSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)';
    const more = parsed.error.issues.length > 1 ? ` (+${parsed.error.issues.length - 1} more issues)` : '';
    throw new SnapshotError(source, where, `${first.message}${more}`);
  }
  const snap = parsed.data as ClusterSnapshot;
  for (const [where, c] of allCaptures(snap)) {
    const actual = sha256(c.stdout);
    if (actual !== c.sha256) throw new SnapshotError(source, where, `sha256 mismatch: file says ${c.sha256.slice(0, 12)}…, stdout hashes to ${actual.slice(0, 12)}… (edited or corrupted capture)`);
  }
  return snap;
}

export function loadSnapshot(file: string): ClusterSnapshot {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SnapshotError(file, 'file', (err as Error).message);
  }
  return parseSnapshot(text, file);
}

/** Writes atomically (temp file + rename) so a crash never leaves half a snapshot. */
export function saveSnapshot(file: string, snap: ClusterSnapshot): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(snap, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
