/**
 * What every engine (netfilter, nft, IPVS) starts a trace with: the options, the first branch and
 * the notes that hold for any NEW connection.
 */
import type { Packet } from '@/lib/model/trace';
import { newBranch, type Branch } from '@/lib/trace/core/branch';
import type { TraceOptions } from '@/lib/model/trace-inputs';

export interface EngineOptions extends TraceOptions {
  /** Minimum chain length for the (dst, proto, dport) index; Infinity forces a linear scan. */
  indexMinRules?: number;
}

/** Ephemeral source port assumed when the question does not give one. */
export const DEFAULT_SPORT = 40000;

/** Notes every netfilter trace carries. */
export function commonNotes(packet: Packet, notes: Set<string>): void {
  notes.add(
    'This trace is for the first packet of a NEW connection: the nat table sees only that packet; established flows follow their conntrack entry.',
  );
  if (packet.sport === undefined) notes.add(`Source port not given: an ephemeral port (${DEFAULT_SPORT}) is assumed.`);
  if (packet.proto === 'udp') {
    notes.add(
      'UDP: after endpoint changes, stale conntrack entries can keep sending an existing flow to an old endpoint until they expire or kube-proxy clears them.',
    );
  }
}

export function startBranch(packet: Packet): Branch {
  return newBranch({
    src: packet.src,
    dst: packet.dst,
    sport: packet.sport ?? DEFAULT_SPORT,
    dport: packet.port,
    proto: packet.proto,
    inIface: packet.inInterface,
  });
}
