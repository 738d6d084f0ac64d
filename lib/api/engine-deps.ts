/**
 * The one place the console binds to the engine (parsers + tracer), so the API code does not
 * depend on where those modules live.
 *
 * Interim binding: lib/trace's mode dispatcher (`tracePacket`) and lib/snapshot's
 * `nodeTraceInputs` have not landed yet, so this wires the real pieces that exist: the
 * iptables-save parser, iproute2's JSON forms, and the iptables-mode tracer.
 */
import type { NodeCapture } from '@/lib/model/snapshot';
import type { NetInterface } from '@/lib/model/interfaces';
import type { Packet, TraceResult } from '@/lib/model/trace';
import type { TraceInputs } from '@/lib/trace/inputs';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { interfacesFromIpJson, routesFromIpJson } from '@/lib/trace/kernel/ip-json';
import { traceIptables } from '@/lib/trace/trace-iptables';

export function tracePacket(inputs: TraceInputs, packet: Packet): TraceResult {
  return traceIptables(inputs, packet);
}

export function nodeTraceInputs(node: NodeCapture): TraceInputs {
  const c = node.captures;
  const inputs: TraceInputs = { node: node.name, proxyMode: node.proxyMode };
  const save = c['iptables-save'];
  if (save && save.exitCode === 0) inputs.iptables = parseIptablesSave(save.stdout).value;
  const addr = c['ip-addr'];
  if (addr?.stdout.trim().startsWith('[')) inputs.interfaces = interfacesFromIpJson(addr.stdout);
  const route = c['ip-route'];
  if (route?.stdout.trim().startsWith('[')) inputs.routes = routesFromIpJson(route.stdout);
  return inputs;
}

export function parsePodInterfaces(text: string): NetInterface[] {
  if (!text.trim().startsWith('[')) throw new Error('only `ip -j addr` output is understood until the ip addr text parser lands');
  return interfacesFromIpJson(text);
}
