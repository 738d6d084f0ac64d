/** Route destinations as `ip route` prints them, in one form for both the text and the JSON parser. */
import { parseCidr } from '@/lib/net/ip';

/** Normalise a route destination: `default`, or a CIDR (host addresses get a full-length prefix). */
export function normalizeDestination(dst: string): string | undefined {
  if (dst === 'default') return dst;
  const c = parseCidr(dst);
  if (!c) return undefined;
  return dst.includes('/') ? dst : `${dst}/${c.family === 4 ? 32 : 128}`;
}
