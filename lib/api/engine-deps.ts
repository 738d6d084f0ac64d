/**
 * The one place the console binds to the engine (parsers + tracer), so the API code does not
 * depend on where those modules live.
 */
import type { NetInterface } from '@/lib/model/interfaces';
import { parseIpAddr } from '@/lib/parse/ip-addr';
import { parseIpAddrJson } from '@/lib/parse/ip-addr-json';

export { tracePacket } from '@/lib/trace/trace-packet';
export { nodeTraceInputs } from '@/lib/snapshot/to-trace-inputs';
export { computeDrift } from '@/lib/snapshot/drift';

/** A pod netns `ip addr` capture (text or `ip -j addr`) → interfaces; parse issues are not fatal here. */
export function parsePodInterfaces(text: string): NetInterface[] {
  return (/^\s*\[/.test(text) ? parseIpAddrJson(text) : parseIpAddr(text)).value;
}
