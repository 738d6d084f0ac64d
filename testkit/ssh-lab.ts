/**
 * Test support (not shipped): a tiny set of "nodes" for the SSH agent tests. Each node is a private
 * network namespace running a REAL OpenSSH sshd (recipe: lab-recipes §3), reached from the root
 * namespace over its own veth /30 in a random 10.x subnet. Node 1 also gets a pod netns with a
 * process in it and a pod-specific resolv.conf (via `ip netns exec`'s /etc/netns bind mount).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildKubeRules } from '@/testkit/kube-proxy-writer/iptables';

export interface TestNode {
  name: string;
  netns: string;
  ip: string;
  port: number;
  hostKeyPub: string;
  sshd?: ChildProcess;
  confFile: string;
}

export interface TestLab {
  prefix: string;
  dir: string;
  identity: string;
  nodes: TestNode[];
  pod?: { netns: string; ip: string; proc: ChildProcess };
  stopSshd(node: TestNode): Promise<void>;
  close(): Promise<void>;
}

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

export const isRoot = () => process.getuid?.() === 0;

/** What kube-proxy writes on a node with one Service, ns1/svc1:p80 (KUBE-SVC hash from docs/kube-proxy-semantics.md §1.2). */
export const NODE_RULES = buildKubeRules([
  { ns: 'ns1', name: 'svc1', portName: 'p80', port: 80, clusterIP: '172.30.0.41', endpoints: [{ ip: '10.180.0.1' }] },
]);

export interface NodeSpec {
  /** Executables placed first on the remote PATH (sshd SetEnv), e.g. a hanging iptables-save. */
  fakeBins?: Record<string, string>;
}

export async function startTestLab(specs: NodeSpec[], opts: { pod?: boolean } = {}): Promise<TestLab> {
  const prefix = `kp${randomBytes(2).toString('hex')}-`;
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const identity = path.join(dir, 'id_ed25519');
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', identity]);
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(`${identity}.pub`));
  const b = 16 + Math.floor(Math.random() * 200);
  const c = Math.floor(Math.random() * 250);
  const nodes: TestNode[] = [];
  const lab: TestLab = {
    prefix,
    dir,
    identity,
    nodes,
    async stopSshd(node) {
      if (!node.sshd || node.sshd.exitCode !== null) return;
      const exited = new Promise((r) => node.sshd!.once('exit', r));
      node.sshd.kill('SIGTERM');
      await exited;
    },
    async close() {
      if (lab.pod) lab.pod.proc.kill('SIGKILL');
      for (const n of nodes) await lab.stopSshd(n);
      for (const ns of [...nodes.map((n) => n.netns), lab.pod?.netns].filter(Boolean) as string[]) {
        try {
          sh('ip', ['netns', 'del', ns]);
        } catch {
          /* already gone */
        }
        rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    for (const [i, spec] of specs.entries()) {
      const name = `${prefix}n${i + 1}`;
      const rootIp = `10.${b}.${c}.${i * 4 + 1}`;
      const ip = `10.${b}.${c}.${i * 4 + 2}`;
      sh('ip', ['netns', 'add', name]);
      sh('ip', ['link', 'add', `${prefix}r${i + 1}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
      sh('ip', ['addr', 'add', `${rootIp}/30`, 'dev', `${prefix}r${i + 1}`]);
      sh('ip', ['link', 'set', `${prefix}r${i + 1}`, 'up']);
      sh('ip', ['-n', name, 'addr', 'add', `${ip}/30`, 'dev', 'eth0']);
      sh('ip', ['-n', name, 'link', 'set', 'eth0', 'up']);
      sh('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
      execFileSync('ip', ['netns', 'exec', name, 'iptables-restore'], { input: NODE_RULES });
      const hostKey = path.join(dir, `hostkey-${i + 1}`);
      sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
      let setEnv = '';
      if (spec.fakeBins) {
        const bin = path.join(dir, `fakebin-${i + 1}`);
        mkdirSync(bin);
        for (const [exe, script] of Object.entries(spec.fakeBins)) {
          writeFileSync(path.join(bin, exe), `#!/bin/sh\n${script}\n`);
          chmodSync(path.join(bin, exe), 0o755);
        }
        setEnv = `SetEnv PATH=${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n`;
      }
      const confFile = path.join(dir, `sshd-${i + 1}.conf`);
      writeFileSync(
        confFile,
        `Port 22\nListenAddress ${ip}\nHostKey ${hostKey}\nPidFile ${dir}/sshd-${i + 1}.pid\nAuthorizedKeysFile ${dir}/authorized_keys\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nPrintMotd no\n${setEnv}LogLevel ERROR\n`,
      );
      const node: TestNode = {
        name,
        netns: name,
        ip,
        port: 22,
        hostKeyPub: readFileSync(`${hostKey}.pub`, 'utf8').trim(),
        confFile,
      };
      node.sshd = spawn(
        'ip',
        [
          'netns',
          'exec',
          name,
          'unshare',
          '--uts',
          'sh',
          '-c',
          `hostname ${name}; exec /usr/sbin/sshd -D -e -f ${confFile}`,
        ],
        { stdio: 'ignore' },
      );
      nodes.push(node);
    }
    if (opts.pod) await addPod(lab, nodes[0], b, c);
    for (const n of nodes) await waitForPort(n);
  } catch (err) {
    await lab.close();
    throw err;
  }
  return lab;
}

async function addPod(lab: TestLab, node: TestNode, b: number, c: number): Promise<void> {
  const ns = `${lab.prefix}p1`;
  const ip = `10.${b}.${c}.254`;
  sh('ip', ['netns', 'add', ns]);
  sh('ip', ['link', 'add', 'veth-p1', 'netns', node.netns, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  sh('ip', ['-n', ns, 'addr', 'add', `${ip}/32`, 'dev', 'eth0']);
  sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
  mkdirSync(`/etc/netns/${ns}`, { recursive: true });
  writeFileSync(
    `/etc/netns/${ns}/resolv.conf`,
    'nameserver 10.96.0.10\nsearch ns1.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
  );
  // `ip netns exec` bind-mounts /etc/netns/NS/resolv.conf in a private mount ns: like a container.
  const proc = spawn('ip', ['netns', 'exec', ns, 'sleep', '3600'], { stdio: 'ignore' });
  lab.pod = { netns: ns, ip, proc };
  await new Promise((r) => setTimeout(r, 200));
}

async function waitForPort(node: TestNode): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      sh('ip', ['netns', 'exec', node.netns, 'sh', '-c', `ss -ltn | grep -q '${node.ip}:22 '`]);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`sshd on ${node.netns} did not start (config ${node.confFile})`);
}

/** A known_hosts line for a node, as `ssh-keyscan` would print it. */
export function knownHostsLine(node: TestNode, key = node.hostKeyPub): string {
  const [type, blob] = key.split(/\s+/);
  return `${node.ip} ${type} ${blob}`;
}
