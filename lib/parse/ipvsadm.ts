/**
 * Parser for `ipvsadm -Ln`, `ipvsadm -Ln --stats [--exact]` and `ipvsadm -Ln --rate` output.
 *
 * Format (ipvsadm 1.31, print_title / print_service_entry):
 *   IP Virtual Server version 1.2.1 (size=4096)
 *   Prot LocalAddress:Port Scheduler Flags
 *     -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
 *   TCP  10.96.0.1:443 rr persistent 10800 mask 255.255.255.0
 *     -> 192.168.0.10:6443            Masq    1      3          0
 *   FWM  10 rr             (firewall-mark service; "FWM  10 IPv6" for the v6 family)
 * In --stats/--rate mode the scheduler is replaced by five counters printed by print_largenum:
 * below 10^8 exact, then K (÷10^3), M (÷10^6), G (÷10^9), T (÷10^12), decimal, truncated.
 * `--exact` prints the full numbers.
 */
import type { IpvsProtocol, IpvsStats, IpvsTable, RealServer, VirtualServer } from '@/lib/model/ipvs';
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';
import { parseEndpoint } from '@/lib/net/ip';

/** Reason text of the issue raised when the node's kernel has no IPVS (ip_vs not loaded / built). */
export const IPVS_NOT_AVAILABLE = 'IPVS not available on this node (kernel has no ip_vs)';

/** True when the parse found ipvsadm's "Can't initialize ipvs" error instead of a table. */
export function isIpvsUnavailable(result: ParseResult<IpvsTable>): boolean {
  return result.issues.some((i) => i.reason === IPVS_NOT_AVAILABLE);
}

type Mode = 'list' | 'stats' | 'rate';

const SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** `830843K` → 830843000. The value is a lower bound: ipvsadm truncates when it abbreviates. */
export function parseIpvsCounter(text: string): number | undefined {
  const m = /^(\d+)([KMGT]?)$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (m[2] ? SUFFIX[m[2]] : 1);
}

function parseCounters(tokens: string[]): IpvsStats | undefined {
  if (tokens.length !== 5) return undefined;
  const n = tokens.map(parseIpvsCounter);
  if (n.some((x) => x === undefined)) return undefined;
  const [conns, inPkts, outPkts, inBytes, outBytes] = n as number[];
  return { conns, inPkts, outPkts, inBytes, outBytes };
}

const SERVICE_RE = /^(TCP|UDP|SCTP)\s+(\S+)(?:\s+(.*))?$/;
const FWM_RE = /^FWM\s+(\d+)(?:\s+(IPv6))?(?:\s+(.*))?$/;

/** Parse scheduler + flags: `rr`, `sh (sh-fallback,sh-port)`, `persistent 10800 mask 255.255.255.0`, `ops`. */
function parseSchedulerPart(rest: string, vs: VirtualServer, sink: IssueSink, lineNo: number, raw: string): void {
  const tokens = rest.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) {
    sink.add(lineNo, raw, 'virtual server line has no scheduler');
    return;
  }
  vs.scheduler = tokens[0];
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'persistent' && /^\d+$/.test(tokens[i + 1] ?? '')) {
      vs.persistent = Number(tokens[++i]);
    } else if ((t === 'mask' || t === 'pe') && tokens[i + 1] !== undefined) {
      if (t === 'mask') vs.mask = tokens[++i];
      else vs.flags.push(`pe ${tokens[++i]}`);
    } else if (/^\(.*\)$/.test(t)) {
      // scheduler flags, e.g. (sh-fallback,sh-port) or (mh-fallback,mh-port)
      vs.flags.push(...t.slice(1, -1).split(',').filter(Boolean));
    } else if (/^[a-z][a-z0-9-]*$/.test(t)) {
      vs.flags.push(t); // ops and future flags: kept, the tracer decides whether they matter
    } else {
      sink.add(lineNo, raw, `unrecognised virtual server token "${t}"`, 'warning');
    }
  }
}

function parseServiceLine(line: string, mode: Mode, sink: IssueSink, lineNo: number): VirtualServer | undefined {
  let protocol: IpvsProtocol;
  let address: string;
  let port = 0;
  let rest: string;
  const fwm = FWM_RE.exec(line);
  if (fwm) {
    protocol = 'FWM';
    address = fwm[1];
    rest = fwm[3] ?? '';
  } else {
    const m = SERVICE_RE.exec(line);
    if (!m) return undefined;
    const ep = parseEndpoint(m[2]);
    if (!ep) {
      sink.add(lineNo, line, `bad virtual address "${m[2]}" (expected ip:port or [ipv6]:port; was -n given?)`);
      return undefined;
    }
    protocol = m[1] as IpvsProtocol;
    address = ep.ip;
    port = ep.port;
    rest = m[3] ?? '';
  }
  const vs: VirtualServer = {
    protocol,
    address,
    port,
    scheduler: '',
    flags: [],
    realServers: [],
    line: lineNo,
    raw: line,
  };
  if (fwm?.[2]) vs.flags.push('IPv6');
  if (mode === 'list') {
    parseSchedulerPart(rest, vs, sink, lineNo, line);
  } else {
    const stats = parseCounters(rest.trim().split(/\s+/));
    if (!stats) sink.add(lineNo, line, `expected five ${mode} counters`);
    else if (mode === 'stats') vs.stats = stats;
  }
  return vs;
}

function parseRealServerLine(line: string, mode: Mode, sink: IssueSink, lineNo: number): RealServer | undefined {
  const tokens = line.trim().slice(2).trim().split(/\s+/);
  const ep = parseEndpoint(tokens[0] ?? '');
  if (!ep) {
    sink.add(lineNo, line, `bad real server address "${tokens[0] ?? ''}"`);
    return undefined;
  }
  const rs: RealServer = {
    address: ep.ip,
    port: ep.port,
    forward: '',
    weight: 0,
    activeConn: 0,
    inactConn: 0,
    line: lineNo,
    raw: line,
  };
  if (mode !== 'list') {
    const stats = parseCounters(tokens.slice(1));
    if (!stats) sink.add(lineNo, line, `expected five ${mode} counters`);
    else if (mode === 'stats') rs.stats = stats;
    return rs;
  }
  const [forward, weight, active, inact] = tokens.slice(1);
  if (
    tokens.length !== 5 ||
    !/^-?\d+$/.test(weight ?? '') ||
    !/^\d+$/.test(active ?? '') ||
    !/^\d+$/.test(inact ?? '')
  ) {
    sink.add(lineNo, line, 'expected "-> addr:port Forward Weight ActiveConn InActConn"');
    return undefined;
  }
  rs.forward = forward;
  rs.weight = Number(weight); // weight 0 = draining: kept so existing flows finish, no new flows
  rs.activeConn = Number(active);
  rs.inactConn = Number(inact);
  return rs;
}

/** Parse `ipvsadm -Ln` (optionally `--stats`, `--exact`, `--rate`) output into an IpvsTable. */
export function parseIpvsadm(text: string, opts: ParseOptions = {}): ParseResult<IpvsTable> {
  const sink = new IssueSink('ipvsadm', opts.strict);
  const table: IpvsTable = { virtualServers: [] };
  let mode: Mode = 'list';
  let current: VirtualServer | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (line.startsWith("Can't initialize ipvs")) {
      sink.add(lineNo, line, IPVS_NOT_AVAILABLE);
      continue;
    }
    if (line.startsWith('Are you sure that IP Virtual Server is built in')) continue; // 2nd line of the same error
    const ver = /^IP Virtual Server version (\S+)/.exec(line);
    if (ver) {
      table.version = ver[1];
      continue;
    }
    if (line.startsWith('Prot LocalAddress:Port')) {
      if (/\bConns\b/.test(line)) mode = 'stats';
      else if (/\bCPS\b/.test(line)) {
        mode = 'rate';
        sink.add(lineNo, line, '--rate counters are not modelled; virtual and real servers are still read', 'warning');
      } else mode = 'list';
      continue;
    }
    if (/^\s+-> RemoteAddress:Port/.test(line)) continue;
    if (/^\s+->\s/.test(line)) {
      const rs = parseRealServerLine(line, mode, sink, lineNo);
      if (!rs) continue;
      if (!current) sink.add(lineNo, line, 'real server line before any virtual server');
      else current.realServers.push(rs);
      continue;
    }
    const vs = parseServiceLine(line, mode, sink, lineNo);
    if (vs) {
      table.virtualServers.push(vs);
      current = vs;
    } else if (!/^(TCP|UDP|SCTP|FWM)\s/.test(line)) {
      sink.add(lineNo, line, 'not an ipvsadm -Ln line');
    }
  }
  return { value: table, issues: sink.issues };
}
