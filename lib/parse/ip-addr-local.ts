/**
 * Quick reads of `ip -j addr` for the collector and the snapshot builder: which addresses a netns
 * holds and which veth ends it has. Tolerant on purpose (a broken capture means "no addresses"):
 * the full, line-reporting parser is ip-addr-json.ts.
 */
/** Addresses listed by `ip -j addr` (both families). */
export function addressesOf(ipJson: string): string[] {
  try {
    const links = JSON.parse(ipJson) as { addr_info?: { local?: string }[] }[];
    return links.flatMap((l) => (l.addr_info ?? []).map((a) => a.local ?? '')).filter(Boolean);
  } catch {
    return [];
  }
}

interface LinkEnds {
  ifindex?: number;
  link_index?: number;
}

/** veth ends as (own ifindex, peer ifindex) pairs from `ip -j addr`. */
export function vethEnds(ipJson: string): [number, number][] {
  try {
    return (JSON.parse(ipJson) as LinkEnds[])
      .filter((l) => l.ifindex !== undefined && l.link_index !== undefined)
      .map((l) => [l.ifindex!, l.link_index!]);
  } catch {
    return [];
  }
}
