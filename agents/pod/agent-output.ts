/**
 * The pod agent's one-line output protocol: `kubepath-capture-gz <base64(gzip(JSON NodeCapture))>`.
 * Compressed because container logs are size-capped by the kubelet (10 MiB by default) and
 * iptables-save text compresses about tenfold. Anything else in the log is ignored.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { NodeCapture } from '@/lib/model/snapshot';
import { nodeCaptureSchema } from '@/lib/snapshot/schema';

export const MARKER = 'kubepath-capture-gz ';

export function encodeAgentOutput(node: NodeCapture): string {
  return `${MARKER}${gzipSync(JSON.stringify(node)).toString('base64')}\n`;
}

/** @throws Error when the log has no capture line or it does not decode to a valid NodeCapture. */
export function decodeAgentOutput(log: string): NodeCapture {
  const line = log.split('\n').find((l) => l.startsWith(MARKER));
  if (!line)
    throw new Error(`agent log has no "${MARKER.trim()}" line (log starts: ${JSON.stringify(log.slice(0, 200))})`);
  let data: unknown;
  try {
    data = JSON.parse(gunzipSync(Buffer.from(line.slice(MARKER.length).trim(), 'base64')).toString('utf8'));
  } catch (err) {
    throw new Error(
      `agent capture line does not decode: ${(err as Error).message} (log cut by the kubelet's size cap?)`,
    );
  }
  const parsed = nodeCaptureSchema.safeParse(data);
  if (!parsed.success)
    throw new Error(
      `agent capture is not a NodeCapture: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`,
    );
  return parsed.data as NodeCapture;
}
