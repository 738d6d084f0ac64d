/**
 * Node view data: the node's interfaces and routes (parsed, as the tracer sees them), each pod
 * netns with its addresses and the host-side veth that carries it, CNI config, and the raw
 * captures verbatim (secrets redacted), one page of lines at a time: a 10k-Service node's
 * iptables-save printed whole made a 26.5 MB page. Redaction and line splitting run once per
 * snapshot version and node, not per request.
 */
import 'server-only';
import type { NetInterface, Route } from '@/lib/model/interfaces';
import type { NodeCapture, RawCapture } from '@/lib/model/snapshot';
import { redactText } from '@/lib/redact/redact';
import { toAppError, type AppError } from '../../errors';
import { inputsFor } from '../trace/engine';
import { parsePodInterfaces } from '@/lib/parse/pod-interfaces';
import type { Served } from '../snapshot/served';

export interface PodNetnsView {
  pod: string;
  netns?: string;
  interfaces: NetInterface[];
  /** Host-side interface (cali*, veth*) found by the node's /32 route or by the veth peer index. */
  hostVeth?: string;
  parseError?: string;
}

/** Lines of one capture shown per page. */
export const CAPTURE_PAGE_LINES = 500;

/** One capture as the page shows it: its facts, and the lines `from`..`to` (1-based, inclusive) of its stdout. */
export interface RawCaptureView {
  name: string;
  command: string;
  exitCode: number | null;
  sha256: string;
  error?: string;
  stderr: string;
  lines: number;
  from: number;
  to: number;
  text: string;
}

export interface NodeDetail {
  node: NodeCapture;
  error?: AppError;
  interfaces: NetInterface[];
  routes: Route[];
  pods: PodNetnsView[];
  raw: RawCaptureView[];
}

/** Which page of which capture to show (others show their first page). */
export interface CapturePage {
  capture?: string;
  from?: number;
}

interface RedactedCapture {
  name: string;
  capture: RawCapture;
  lines: string[];
}
const redactedCache = new Map<string, RedactedCapture[]>();

function redacted(version: string, node: NodeCapture): RedactedCapture[] {
  const key = `${version}|${node.name}`;
  let got = redactedCache.get(key);
  if (!got) {
    got = [
      ...Object.entries(node.captures).flatMap(([k, c]) => (c ? [{ name: k, capture: c }] : [])),
      ...Object.entries(node.cniFiles ?? {}).map(([k, c]) => ({ name: k, capture: c })),
    ].map((r) => {
      const stdout = redactText(r.capture.stdout);
      return {
        name: r.name,
        capture: { ...r.capture, stdout, stderr: redactText(r.capture.stderr) },
        lines: stdout.split('\n'),
      };
    });
    if (redactedCache.size > 16) redactedCache.clear();
    redactedCache.set(key, got);
  }
  return got;
}

function pageOf(r: RedactedCapture, want: CapturePage): RawCaptureView {
  const total = r.lines.length;
  const asked = want.capture === r.name && want.from ? want.from : 1;
  const from = Math.min(Math.max(1, asked), Math.max(1, total));
  const to = Math.min(total, from + CAPTURE_PAGE_LINES - 1);
  const c = r.capture;
  return {
    name: r.name,
    command: c.command,
    exitCode: c.exitCode,
    sha256: c.sha256,
    error: c.error,
    stderr: c.stderr.slice(0, 64 * 1024),
    lines: total,
    from,
    to,
    text: r.lines.slice(from - 1, to).join('\n'),
  };
}

function hostVethFor(podIfs: NetInterface[], nodeIfs: NetInterface[], routes: Route[]): string | undefined {
  for (const i of podIfs) {
    for (const a of i.addresses) {
      const r = routes.find(
        (x) => x.destination === a.address || x.destination === `${a.address}/${a.family === 'inet' ? 32 : 128}`,
      );
      if (r?.device) return r.device;
    }
  }
  // veth peers: the pod's `eth0@ifN` points at the host interface with index N.
  for (const i of podIfs) {
    const m = i.link?.match(/^if(\d+)$/);
    const peer = m && nodeIfs.find((n) => n.index === Number(m[1]));
    if (peer) return peer.name;
  }
  return undefined;
}

/** `s` is the snapshot the request's gate looked up (once per request). */
export function nodeDetail(s: Served, name: string, page: CapturePage = {}): NodeDetail | undefined {
  const node = s.snapshot.nodes.find((n) => n.name === name);
  if (!node) return undefined;
  const raw = redacted(s.version, node).map((r) => pageOf(r, page));
  if (node.error)
    return {
      node,
      error: {
        kind: 'unreachable',
        node: name,
        cause: node.error.kind,
        message: `${node.error.kind}: ${node.error.message}`,
      },
      interfaces: [],
      routes: [],
      pods: [],
      raw,
    };
  let interfaces: NetInterface[] = [],
    routes: Route[] = [];
  let error: AppError | undefined;
  try {
    const inputs = inputsFor(s.snapshot, s.version, name);
    interfaces = inputs.interfaces ?? [];
    routes = inputs.routes ?? [];
  } catch (e) {
    error = toAppError(e);
  }
  const pods = (node.pods ?? []).map((p) => {
    const label = p.pod ? `${p.pod.namespace}/${p.pod.name}` : `pid ${p.pid}`;
    try {
      const ifs = parsePodInterfaces(p.ipAddr.stdout);
      return { pod: label, netns: p.netns, interfaces: ifs, hostVeth: hostVethFor(ifs, interfaces, routes) };
    } catch (e) {
      return { pod: label, netns: p.netns, interfaces: [], parseError: (e as Error).message };
    }
  });
  return { node, error, interfaces, routes, pods, raw };
}
