/**
 * Broken copies of the served snapshot, as a disk, an editor or an attacker would leave them: one
 * character changed in a capture's stdout with its sha256 left as it was, the JSON cut half way,
 * and a wrong inner shape (`api.services = [1,2,3]`) that is still valid JSON.
 */
import { readFileSync } from 'node:fs';
import type { ClusterSnapshot } from '../lib/model/snapshot';
import { servedSnapshotPath } from './cli';

export interface Tampered {
  text: string;
  /** The JSON path and the human name the refusal must give. */
  where: string;
  capture: string;
}

export function servedText(): string {
  return readFileSync(servedSnapshotPath(), 'utf8');
}

/** One character of the first node's iptables-save (or first non-empty capture) changed; sha256 untouched. */
export function tamperedCapture(): Tampered {
  const snap = JSON.parse(servedText()) as ClusterSnapshot;
  for (const [i, node] of snap.nodes.entries()) {
    const entries = Object.entries(node.captures).filter(([, c]) => c && c.stdout.length > 0);
    const [kind, cap] = entries.find(([k]) => k === 'iptables-save') ?? entries[0] ?? [];
    if (!kind || !cap) continue;
    const at = Math.max(0, cap.stdout.indexOf('-j ACCEPT') + 3);
    cap.stdout = cap.stdout.slice(0, at) + (cap.stdout[at] === 'X' ? 'Y' : 'X') + cap.stdout.slice(at + 1);
    return {
      text: JSON.stringify(snap, null, 2),
      where: `nodes[${i}].captures["${kind}"]`,
      capture: `capture ${kind} of node ${node.name}`,
    };
  }
  throw new Error('the served snapshot has no capture to tamper with');
}

/** The JSON cut after a comma half way through: the text ends where a value should start. */
export function truncatedJson(): string {
  const text = JSON.stringify(JSON.parse(servedText()), null, 2);
  return text.slice(0, text.lastIndexOf(',', text.length / 2) + 1);
}

export function wrongInnerShape(): string {
  const snap = JSON.parse(servedText()) as { api?: { services: unknown[] } };
  if (!snap.api) throw new Error('the served snapshot has no API objects to break');
  snap.api.services = [1, 2, 3];
  return JSON.stringify(snap);
}
