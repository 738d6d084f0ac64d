/**
 * A copy of the served snapshot with one Service renamed to an HTML/script payload everywhere the
 * console and the reports show it: the API object, its EndpointSlices, a label, and the rule
 * comments in every node's raw captures (the sha256 of each edited capture is recomputed, as the
 * collector would have written it).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClusterSnapshot } from '../lib/model/snapshot';
import { servedSnapshotPath } from './cli';

export const HOSTILE = '<img src=x onerror=alert(1)>';

export interface HostileSnapshot {
  file: string;
  namespace: string;
  /** The original name (for picking the Service) and the ClusterIP/port to trace. */
  original: string;
  clusterIP: string;
  port: number;
  proto: string;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function writeHostileSnapshot(): HostileSnapshot {
  const snap = JSON.parse(readFileSync(servedSnapshotPath(), 'utf8')) as ClusterSnapshot;
  const api = snap.api!;
  const ready = (ns: string, name: string) =>
    api.endpointSlices.some((es) => es.namespace === ns && es.service === name && es.endpoints.some((e) => e.ready));
  const svc = api.services.find(
    (s) =>
      s.type === 'ClusterIP' &&
      s.clusterIPs[0] &&
      s.clusterIPs[0] !== 'None' &&
      s.ports[0]?.protocol === 'TCP' &&
      ready(s.namespace, s.name),
  );
  if (!svc) throw new Error('the served snapshot has no ClusterIP Service with ready endpoints to make hostile');
  const { namespace, name } = svc;
  svc.name = HOSTILE;
  svc.labels = { ...svc.labels, team: HOSTILE };
  for (const es of api.endpointSlices) if (es.namespace === namespace && es.service === name) es.service = HOSTILE;
  // iptables-save quotes a comment only when it has spaces; the hostile name has, so always quote.
  const quoted = new RegExp(`"${esc(namespace)}/${esc(name)}([:" ])`, 'g');
  const bare = new RegExp(`(--comment )${esc(namespace)}/${esc(name)}(\\S*)`, 'g');
  const nft = new RegExp(`(comment )"?${esc(namespace)}/${esc(name)}([^"\\s]*)"?`, 'g');
  let edited = 0;
  for (const node of snap.nodes) {
    for (const cap of Object.values(node.captures)) {
      if (!cap) continue;
      const out = cap.stdout
        .replace(quoted, `"${namespace}/${HOSTILE}$1`)
        .replace(bare, `$1"${namespace}/${HOSTILE}$2"`)
        .replace(nft, `$1"${namespace}/${HOSTILE}$2"`);
      if (out !== cap.stdout) {
        cap.stdout = out;
        cap.sha256 = createHash('sha256').update(out, 'utf8').digest('hex');
        edited++;
      }
    }
  }
  if (!edited)
    throw new Error(`no rule comment names ${namespace}/${name}: the hostile snapshot would not test rule comments`);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'kp-hostile-')), 'snapshot.json');
  writeFileSync(file, JSON.stringify(snap));
  return { file, namespace, original: name, clusterIP: svc.clusterIPs[0], port: svc.ports[0].port, proto: 'tcp' };
}
