/** `ipvsadm -Ln` (optionally `--stats`) and `ipset list`, as plain data. */

export type IpvsProtocol = 'TCP' | 'UDP' | 'SCTP' | 'FWM';

export interface RealServer {
  address: string; // IP without brackets
  port: number;
  forward: 'Masq' | 'Local' | 'Route' | 'Tunnel' | string;
  weight: number;
  activeConn: number;
  inactConn: number;
  line: number;
  raw: string;
  stats?: IpvsStats;
}

export interface IpvsStats {
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}

export interface VirtualServer {
  protocol: IpvsProtocol;
  /** For FWM services the mark number as a string; otherwise the IP without brackets. */
  address: string;
  port: number;
  scheduler: string;
  persistent?: number;
  mask?: string;
  flags: string[];
  realServers: RealServer[];
  line: number;
  raw: string;
  stats?: IpvsStats;
}

export interface IpvsTable {
  version?: string;
  virtualServers: VirtualServer[];
}

export interface IpSet {
  name: string;
  type: string; // hash:ip,port | bitmap:port | ...
  family?: 'inet' | 'inet6';
  header: string;
  /** `comment` (optional, added by the ipset parser): the member's `comment "..."` extension. */
  members: { entry: string; line: number; comment?: string }[];
  line: number;
}

export interface IpSetList {
  sets: Record<string, IpSet>;
}
