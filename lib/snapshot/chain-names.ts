/**
 * kube-proxy's chain-name hashing (docs/kube-proxy-semantics.md §1.2): KUBE-SVC/SVL/EXT/FW-<16> and KUBE-SEP-<16>,
 * where <16> is the first 16 characters of base32(sha256(servicePortName + protocol [+ endpoint])).
 * The hash is how drift maps a Service port to the chains a node should have.
 */
import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (StdEncoding), padding omitted since only a prefix is used. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** base32(sha256(text)): kube-proxy names chains (iptables: 16 chars) and nft objects (8 chars) by prefixes of it. */
export function kubeBase32Sha256(text: string): string {
  return base32(createHash('sha256').update(text).digest());
}

function hash16(text: string): string {
  return kubeBase32Sha256(text).slice(0, 16);
}

/** `ns/name:port` — the `:port` part only when the Service port has a name. */
export function servicePortName(namespace: string, name: string, portName?: string): string {
  return portName ? `${namespace}/${name}:${portName}` : `${namespace}/${name}`;
}

/** The 16-character suffix shared by KUBE-SVC-, KUBE-SVL-, KUBE-EXT- and KUBE-FW- for one port. */
export function servicePortHash(spn: string, protocol: string): string {
  return hash16(`${spn}${protocol.toLowerCase()}`);
}

/** KUBE-SEP-…: endpoint is `ip:port`, IPv6 bracketed. */
export function endpointChainName(spn: string, protocol: string, ip: string, port: number): string {
  const ep = ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  return `KUBE-SEP-${hash16(`${spn}${protocol.toLowerCase()}${ep}`)}`;
}
