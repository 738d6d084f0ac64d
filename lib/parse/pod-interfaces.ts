/** A pod netns `ip addr` capture, text or `ip -j addr`, as interfaces; parse issues are not fatal here. */
import type { NetInterface } from '@/lib/model/interfaces';
import { parseIpAddr } from '@/lib/parse/ip-addr';
import { parseIpAddrJson } from '@/lib/parse/ip-addr-json';

export function parsePodInterfaces(text: string): NetInterface[] {
  return (/^\s*\[/.test(text) ? parseIpAddrJson(text) : parseIpAddr(text)).value;
}
