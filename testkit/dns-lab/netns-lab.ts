/**
 * Real-resolver lab: a "dns" network namespace running two real dnsmasq processes (the cluster
 * DNS at the kube-dns address, and an upstream), and a "client" namespace where a tiny C program
 * calls getaddrinfo() through real glibc or real (static) musl, with a resolv.conf bind-mounted
 * by `ip netns exec` from /etc/netns/<ns>/. Every name and subnet is unique per run; stop()
 * removes everything it created. Needs root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { clusterDnsmasqConfig, upstreamDnsmasqConfig, type LabObjects } from '@/testkit/dns-lab/dnsmasq-config';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface LabQuery {
  type: string;
  name: string;
}
export interface LabResult {
  queries: LabQuery[];
  output: string;
  ok: boolean;
  addresses: string[];
  errorCode?: number;
}

/** Why the lab cannot run here, or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, /etc/netns bind mounts)';
  for (const tool of ['ip', 'dnsmasq', 'gcc', 'musl-gcc']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class DnsLab {
  readonly prefix = `kp${randomBytes(2).toString('hex')}-`;
  readonly client = `${this.prefix}c`;
  readonly server = `${this.prefix}d`;
  readonly net = `10.${randomInt(100, 250)}.${randomInt(0, 255)}`;
  readonly clientIp = `${this.net}.2`;
  readonly clusterDnsIp = `${this.net}.10`;
  readonly upstreamIp = `${this.net}.53`;
  /** Assigned in the DNS namespace with nothing listening: the kernel answers ICMP port unreachable,
   *  like kube-proxy's REJECT for a Service without ready endpoints. */
  readonly deadDnsIp = `${this.net}.11`;
  /** Temp dir for binaries, configs and logs; created by start(). */
  dir = '';
  notEmulated: string[] = [];
  private started = false;

  /** Build the binaries, the namespaces and start both dnsmasq instances. */
  start(objs: LabObjects, upstreamHosts: string, zone = 'cluster.local', ttl = 30): void {
    this.started = true;
    this.dir = mkdtempSync(path.join(tmpdir(), 'kp-dns-lab-'));
    const src = path.join(HERE, 'gai.c');
    sh('gcc', ['-O1', '-o', path.join(this.dir, 'gai-glibc'), src]);
    sh('musl-gcc', ['-static', '-O1', '-o', path.join(this.dir, 'gai-musl'), src]);
    sh('ip', ['netns', 'add', this.client]);
    sh('ip', ['netns', 'add', this.server]);
    sh('ip', [
      'link',
      'add',
      'eth0',
      'netns',
      this.client,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      this.server,
    ]);
    sh('ip', ['-n', this.client, 'addr', 'add', `${this.clientIp}/24`, 'dev', 'eth0']);
    sh('ip', ['-n', this.server, 'addr', 'add', `${this.clusterDnsIp}/24`, 'dev', 'eth0']);
    sh('ip', ['-n', this.server, 'addr', 'add', `${this.upstreamIp}/24`, 'dev', 'eth0']);
    sh('ip', ['-n', this.server, 'addr', 'add', `${this.deadDnsIp}/24`, 'dev', 'eth0']);
    for (const ns of [this.client, this.server]) {
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    }
    const cluster = clusterDnsmasqConfig(objs, {
      zone,
      listen: this.clusterDnsIp,
      upstream: this.upstreamIp,
      ttl,
      runDir: this.dir,
    });
    this.notEmulated = cluster.notEmulated;
    writeFileSync(path.join(this.dir, 'cluster.conf'), cluster.text);
    writeFileSync(
      path.join(this.dir, 'upstream.conf'),
      upstreamDnsmasqConfig(upstreamHosts, this.upstreamIp, this.dir),
    );
    // Addresses are "tentative" for a moment after veth up only for IPv6; IPv4 binds at once.
    sh('ip', ['netns', 'exec', this.server, 'dnsmasq', '-C', path.join(this.dir, 'upstream.conf')]);
    sh('ip', ['netns', 'exec', this.server, 'dnsmasq', '-C', path.join(this.dir, 'cluster.conf')]);
    const etc = `/etc/netns/${this.client}`;
    mkdirSync(etc, { recursive: true });
    writeFileSync(path.join(etc, 'hosts'), '');
    writeFileSync(path.join(etc, 'nsswitch.conf'), 'hosts: files dns\n');
    writeFileSync(path.join(etc, 'resolv.conf'), '');
  }

  configText(name: 'cluster' | 'upstream'): string {
    return readFileSync(path.join(this.dir, `${name}.conf`), 'utf8');
  }

  private logSize(): number {
    let n = 0;
    for (const f of ['cluster.log', 'upstream.log']) {
      const p = path.join(this.dir, f);
      if (existsSync(p)) n += readFileSync(p).length;
    }
    return n;
  }

  private queriesFromClient(offsets: Record<string, number>): LabQuery[] {
    const out: LabQuery[] = [];
    for (const f of ['cluster.log', 'upstream.log']) {
      const p = path.join(this.dir, f);
      if (!existsSync(p)) continue;
      const text = readFileSync(p)
        .subarray(offsets[f] ?? 0)
        .toString('utf8');
      for (const line of text.split('\n')) {
        const m = /query\[(\w+)\] (\S+) from (\S+)/.exec(line);
        if (m && m[3] === this.clientIp) out.push({ type: m[1], name: m[2].toLowerCase() });
      }
    }
    return out;
  }

  /** Run one getaddrinfo() in the client namespace with this resolv.conf; return what the servers saw. */
  resolve(
    flavor: 'glibc' | 'musl',
    resolvConf: string,
    name: string,
    family: 'unspec' | 'inet' | 'inet6' = 'unspec',
  ): LabResult {
    writeFileSync(`/etc/netns/${this.client}/resolv.conf`, resolvConf);
    const offsets: Record<string, number> = {};
    for (const f of ['cluster.log', 'upstream.log']) {
      const p = path.join(this.dir, f);
      offsets[f] = existsSync(p) ? readFileSync(p).length : 0;
    }
    const r = spawnSync('ip', ['netns', 'exec', this.client, path.join(this.dir, `gai-${flavor}`), name, family], {
      encoding: 'utf8',
      timeout: 40_000,
    });
    // dnsmasq logs each query before answering it, and the resolver waits for its answers, so
    // the log is complete when the program exits; wait until its size is stable anyway.
    let size = this.logSize();
    for (let i = 0; i < 5; i++) {
      spawnSync('sleep', ['0.02']);
      const s = this.logSize();
      if (s === size) break;
      size = s;
    }
    const output = (r.stdout ?? '').trim();
    const ok = output.startsWith('OK');
    const m = /^ERR (-?\d+)/.exec(output);
    return {
      queries: this.queriesFromClient(offsets),
      output: output || (r.stderr ?? '').trim(),
      ok,
      addresses: ok ? output.split(/\s+/).slice(1) : [],
      errorCode: m ? Number(m[1]) : undefined,
    };
  }

  stop(): void {
    if (!this.started) return;
    for (const f of ['cluster.pid', 'upstream.pid']) {
      const p = path.join(this.dir, f);
      if (!existsSync(p)) continue;
      const pid = Number(readFileSync(p, 'utf8').trim());
      if (pid > 1)
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
    }
    for (const ns of [this.client, this.server]) spawnSync('ip', ['netns', 'del', ns]);
    rmSync(`/etc/netns/${this.client}`, { recursive: true, force: true });
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
