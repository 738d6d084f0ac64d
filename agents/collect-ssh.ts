/**
 * Collects many nodes over SSH with bounded concurrency. Each node ends as a NodeCapture: either
 * collected (maybe with warnings) or carrying `error` (unreachable, auth, host key, timeout, ...).
 * One node's failure never stops the others.
 */
import type { NodeCapture } from '@/lib/model/snapshot';
import { collectNode, type CollectNodeOptions } from './collect-node';
import { connectSsh, SshConnectError, type SshAuthOptions } from './ssh/ssh-connect';
import { SshRunner } from './ssh/ssh-runner';
import { formatSshTarget, type SshTarget } from './ssh/ssh-target';

export type ProgressEvent =
  | { node: string; phase: 'connecting' | 'collecting' }
  | { node: string; phase: 'command'; kind: string; ms?: number; error?: string }
  | { node: string; phase: 'note'; message: string }
  | { node: string; phase: 'done'; ok: boolean; error?: string; warnings: number };

export type ProgressFn = (e: ProgressEvent) => void;

export interface SshCollectOptions {
  targets: SshTarget[];
  auth: SshAuthOptions;
  /** Nodes collected at once (default 8). */
  concurrency?: number;
  node?: Omit<CollectNodeOptions, 'fallbackName' | 'onCommand'>;
  /** Per-target overrides, index-aligned with `targets` (e.g. a lab node's own CNI directory). */
  perTarget?: Partial<Omit<CollectNodeOptions, 'fallbackName' | 'onCommand'>>[];
  onProgress?: ProgressFn;
}

/** Runs `fn` over items with at most `limit` in flight; results keep input order. */
export async function mapBounded<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

export async function collectOverSsh(opts: SshCollectOptions): Promise<NodeCapture[]> {
  const progress = opts.onProgress ?? (() => {});
  return mapBounded(opts.targets, opts.concurrency ?? 8, async (target, i) => {
    const label = formatSshTarget(target);
    const via = `ssh ${label}`;
    progress({ node: label, phase: 'connecting' });
    let runner: SshRunner | undefined;
    try {
      const client = await connectSsh(target, opts.auth, (message) =>
        progress({ node: label, phase: 'note', message }),
      );
      runner = new SshRunner(client, via);
      progress({ node: label, phase: 'collecting' });
      const node = await collectNode(runner, {
        ...opts.node,
        ...opts.perTarget?.[i],
        fallbackName: target.host,
        onCommand: (kind, c) => progress({ node: label, phase: 'command', kind, ms: c.durationMs, error: c.error }),
      });
      progress({
        node: label,
        phase: 'done',
        ok: !node.error,
        error: node.error?.message,
        warnings: node.warnings?.length ?? 0,
      });
      return node;
    } catch (err) {
      const e = err instanceof SshConnectError ? err : new SshConnectError('internal', (err as Error).message);
      progress({ node: label, phase: 'done', ok: false, error: e.message, warnings: 0 });
      return {
        name: target.host,
        via,
        capturedAt: new Date().toISOString(),
        captures: {},
        error: { kind: e.kind, message: e.message },
      };
    } finally {
      await runner?.close();
    }
  });
}
