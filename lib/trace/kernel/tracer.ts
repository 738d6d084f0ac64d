/**
 * Finds the tracer under test. The kernel suites are written against the front door
 * `tracePacket(inputs, packet)`; while the tracer is being written they fall back to
 * `traceIptables`. Loaded by file path so a missing module is a clear "not available" instead of a
 * transform error, and reported in every case report (`tracer` field) so nothing passes silently.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Packet, TraceResult } from '@/lib/model/trace';
import type { TraceInputs } from '@/lib/trace/inputs';

export type TraceFn = (inputs: TraceInputs, packet: Packet) => TraceResult;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const CANDIDATES: [string, string][] = [
  ['lib/trace/trace-packet.ts', 'tracePacket'],
  ['lib/trace/index.ts', 'tracePacket'],
  ['lib/trace/trace-iptables.ts', 'traceIptables'],
];

/** The tracer function and where it came from, or why there is none. */
export async function loadTracer(): Promise<{ fn?: TraceFn; from: string }> {
  const tried: string[] = [];
  for (const [file, name] of CANDIDATES) {
    const found = await loadFunction<TraceFn>(file, [name]);
    if (found.fn) return { fn: found.fn, from: tried.length ? `${found.from} (after: ${tried.join('; ')})` : found.from };
    tried.push(found.from);
  }
  return { from: `no tracer: ${tried.join('; ')}` };
}

/** Optional parser loader (e.g. lib/parse/nft.ts#parseNftRuleset), same approach. */
export async function loadFunction<T>(file: string, names: string[]): Promise<{ fn?: T; from: string }> {
  const abs = path.join(ROOT, file);
  if (!existsSync(abs)) return { from: `${file} does not exist` };
  let mod: Record<string, unknown>;
  try {
    mod = (await import(/* @vite-ignore */ pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (err) {
    // A module that is half-written by its owner right now: report, do not crash the suite.
    return { from: `${file} failed to load: ${(err as Error).message.split('\n')[0]}` };
  }
  for (const name of names) if (typeof mod[name] === 'function') return { fn: mod[name] as T, from: `${file}#${name}` };
  return { from: `${file} exports none of ${names.join(', ')}` };
}
