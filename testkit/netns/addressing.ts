/**
 * Address plan of one lab run. Everything is derived from the run's 4-hex prefix, so a run picks
 * its subnets "randomly" (other runs on the machine get other ones) but deterministically (a failing
 * run can be reproduced with KP_LAB_SEED=<hex>). Rulesets must be written FROM this plan.
 */
import { randomBytes } from 'node:crypto';

export interface AddressPlan {
  /** Name prefix of every namespace of the run, e.g. `kp3fa2`. */
  prefix: string;
  /** Cluster (pod) CIDR covering all nodes' pod subnets, e.g. 10.37.0.0/16. */
  clusterCidr: string;
  /** Service CIDR: ClusterIPs and (in its .200+ part) external / LB VIPs, e.g. 10.181.0.0/16. */
  serviceCidr: string;
  /** Underlay /24 shared by the nodes and the outside client. */
  underlayCidr: string;
  node: { underlay: string; podCidr: string; gateway: string }[];
  client: { underlay: string; /** second source outside `allowedClientRange` */ blocked: string };
  /** A /25 holding the client's primary address but not `client.blocked` (LB source ranges). */
  allowedClientRange: string;
  /** Octets used for derived addresses. */
  octets: { cluster: number; service: number; underlay: [number, number] };
  /** IPv6 (ULA) plan, used when a topology asks for dual-stack. */
  v6: {
    clusterCidr: string;
    serviceCidr: string;
    node: { underlay: string; podCidr: string; gateway: string }[];
    client: { underlay: string; blocked: string };
    allowedClientRange: string;
    /** `fd00:<hex>` */
    base: string;
  };
}

/** A fresh random prefix hex (4 hex digits), or KP_LAB_SEED when set. */
export function newRunHex(): string {
  const env = process.env.KP_LAB_SEED;
  if (env && /^[0-9a-f]{4}$/.test(env)) return env;
  return randomBytes(2).toString('hex');
}

/** Derives the plan for run `hex` (4 hex digits). */
export function planAddresses(hex: string): AddressPlan {
  if (!/^[0-9a-f]{4}$/.test(hex)) throw new Error(`run hex must be 4 hex digits, got ${JSON.stringify(hex)}`);
  const h = parseInt(hex, 16);
  const cluster = 16 + (h % 96); // 10.16-111.x.x
  const service = 128 + ((h >> 7) % 96); // 10.128-223.x.x, never overlaps the cluster CIDR
  const u1 = 16 + (h % 16); // 172.16-31.x.x
  const u2 = (h >> 4) % 250;
  const ul = `172.${u1}.${u2}`;
  // The hextet without leading zeros: the kernel prints addresses in canonical form (RFC 5952), and
  // tests compare the addresses the kernel reports with the ones written from this plan.
  const v6 = h.toString(16);
  return {
    prefix: `kp${hex}`,
    clusterCidr: `10.${cluster}.0.0/16`,
    serviceCidr: `10.${service}.0.0/16`,
    underlayCidr: `${ul}.0/24`,
    node: [1, 2].map((n) => ({
      underlay: `${ul}.${10 + n}`,
      podCidr: `10.${cluster}.${n}.0/24`,
      gateway: `10.${cluster}.${n}.1`,
    })),
    client: { underlay: `${ul}.2`, blocked: `${ul}.130` },
    allowedClientRange: `${ul}.0/25`,
    octets: { cluster, service, underlay: [u1, u2] },
    v6: {
      base: `fd00:${v6}`,
      clusterCidr: `fd00:${v6}::/56`,
      serviceCidr: `fd00:${v6}:96::/112`,
      node: [1, 2].map((n) => ({
        underlay: `fd00:${v6}:ff::${10 + n}`,
        podCidr: `fd00:${v6}:0:${n}::/64`,
        gateway: `fd00:${v6}:0:${n}::1`,
      })),
      client: { underlay: `fd00:${v6}:ff::2`, blocked: `fd00:${v6}:ff::8002` },
      allowedClientRange: `fd00:${v6}:ff::/113`,
    },
  };
}

/** IPv6 ClusterIP `n` (inside the v6 service CIDR). */
export function clusterIP6(plan: AddressPlan, n: number): string {
  return `${plan.v6.base}:96::${n.toString(16)}`;
}

/** IPv6 pod address `host` on node `node`. */
export function podIP6(plan: AddressPlan, node: number, host: number): string {
  return `${plan.v6.base}:0:${node}::${host.toString(16)}`;
}

/** ClusterIP number `n` (1..199) of the plan. */
export function clusterIP(plan: AddressPlan, n: number): string {
  return `10.${plan.octets.service}.0.${n}`;
}

/** External/LB VIP `n` that is NOT assigned to any node (routed to node 1 by the client). */
export function remoteVip(plan: AddressPlan, n: number): string {
  return `10.${plan.octets.service}.200.${n}`;
}

/** VIP `n` that node 1 holds as a local address (like an LB VIP bound on the node). */
export function localVip(plan: AddressPlan, n: number): string {
  return `10.${plan.octets.service}.201.${n}`;
}

/** Pod address `host` on node `node` (1-based). */
export function podIP(plan: AddressPlan, node: number, host: number): string {
  return `10.${plan.octets.cluster}.${node}.${host}`;
}
