/**
 * Save / load ClusterSnapshot files. Loading validates the schema with zod and re-hashes every raw
 * capture: a snapshot whose text no longer matches its sha256 was edited or corrupted, and any
 * trace from it would cite rules that were never on the node.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ClusterSnapshot, RawCapture } from '@/lib/model/snapshot';
import { SNAPSHOT_SCHEMA } from '@/lib/model/snapshot';
import { AppFailure, type SnapshotProblem } from '@/lib/errors';
import { jsonErrorAt } from '@/lib/parse/json-position';
import { sha256 } from './hash';
import { clusterSnapshotSchema } from './schema';

/**
 * A snapshot file could not be used. `file` names it as the caller chose (the CLI: the path the
 * user gave; the console: the file name only, never its path on the server); `where` is "line L
 * column C" or a JSON path; `problem` says which check failed. It is an AppFailure of kind
 * `broken-snapshot`, so the console answers it as the 503 server fault it is.
 */
export class SnapshotError extends AppFailure {
  constructor(
    readonly file: string,
    readonly where: string,
    readonly reason: string,
    readonly problem: SnapshotProblem,
  ) {
    super({ kind: 'broken-snapshot', message: `${file}: ${where}: ${reason}`, file, problem, where });
    this.name = 'SnapshotError';
  }
}

/** Every RawCapture in a snapshot with its JSON path and a human name ("iptables-save of node a"). */
export function* allCaptures(snap: ClusterSnapshot): Generator<[string, RawCapture, string]> {
  for (const [i, n] of snap.nodes.entries()) {
    for (const [k, c] of Object.entries(n.captures))
      if (c) yield [`nodes[${i}].captures["${k}"]`, c, `capture ${k} of node ${n.name}`];
    for (const [f, c] of Object.entries(n.cniFiles ?? {}))
      yield [`nodes[${i}].cniFiles["${f}"]`, c, `CNI file ${f} of node ${n.name}`];
    for (const [j, p] of (n.pods ?? []).entries()) {
      const who = p.pod ? `pod ${p.pod.namespace}/${p.pod.name}` : `pid ${p.pid}`;
      yield [`nodes[${i}].pods[${j}].ipAddr`, p.ipAddr, `ip addr of ${who} on node ${n.name}`];
      if (p.resolvConf)
        yield [`nodes[${i}].pods[${j}].resolvConf`, p.resolvConf, `resolv.conf of ${who} on node ${n.name}`];
    }
  }
}

function shortLine(text: string, line: number): string {
  const raw = text.split('\n', line)[line - 1] ?? '';
  return raw.length > 120 ? `${raw.slice(0, 120)}…` : raw;
}

function jsonPath(path: readonly PropertyKey[]): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') || '(root)'
  );
}

/**
 * Parses and validates snapshot JSON text: the strict schema, then every capture's sha256.
 * @throws SnapshotError naming the line and column, the JSON path, or the capture.
 */
export function parseSnapshot(text: string, source = 'snapshot'): ClusterSnapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message.split(/ in JSON| at position|, "/)[0];
    // Whole-file prefix search is bounded at 64 MB; past that the line is unknown, but the error is still named.
    const at = jsonErrorAt(text, err, 64 * 1024 * 1024);
    if (!at) throw new SnapshotError(source, 'line ?', `invalid JSON (${msg})`, 'invalid-json');
    const line = shortLine(text, at.line);
    throw new SnapshotError(
      source,
      `line ${at.line} column ${at.column}`,
      `invalid JSON (${msg})${line ? `: ${JSON.stringify(line)}` : ''}`,
      'invalid-json',
    );
  }
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (typeof schema === 'string' && schema !== SNAPSHOT_SCHEMA) {
    throw new SnapshotError(
      source,
      'schema',
      `unsupported snapshot schema "${schema}" (this kubepath reads ${SNAPSHOT_SCHEMA})`,
      'unsupported-schema',
    );
  }
  const parsed = clusterSnapshotSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const more = parsed.error.issues.length > 1 ? ` (+${parsed.error.issues.length - 1} more issues)` : '';
    throw new SnapshotError(source, jsonPath(first.path), `not a kubepath snapshot: ${first.message}${more}`, 'schema');
  }
  const snap = parsed.data as ClusterSnapshot;
  for (const [where, c, what] of allCaptures(snap)) {
    const actual = sha256(c.stdout);
    if (actual !== c.sha256) {
      throw new SnapshotError(
        source,
        where,
        `sha256 mismatch in ${what}: the file records ${c.sha256}, its stdout hashes to ${actual} (the capture was edited or corrupted after collection: kubepath neither traces nor reports from this snapshot)`,
        'hash-mismatch',
      );
    }
  }
  return snap;
}

/** Reads and parses a snapshot file; `name` is how errors name it (default: the path as given). */
export function loadSnapshot(file: string, name = file): ClusterSnapshot {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    // Node's message ends in ", open '/the/path'": keep the code and the words, drop the path.
    const e = err as NodeJS.ErrnoException;
    throw new SnapshotError(name, 'file', `cannot read it (${e.message.replace(/, \w+ '.*'$/, '')})`, 'unreadable');
  }
  return parseSnapshot(text, name);
}

/** Writes atomically (temp file + rename) so a crash never leaves half a snapshot. */
export function saveSnapshot(file: string, snap: ClusterSnapshot): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(snap, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
