import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectOverSsh, type ProgressEvent } from '../collect-ssh';
import { isRoot, knownHostsLine, startTestLab, type TestLab } from '../../testkit/ssh-lab';

const root = isRoot();
if (!root) console.warn('agents/ssh: skipping real-sshd tests: they need root (network namespaces + sshd)');

describe.skipIf(!root)('collect over real OpenSSH sshd in network namespaces', () => {
  let lab: TestLab;
  const auth = (knownHostsFile: string, extra: Record<string, unknown> = {}) => ({
    identityFile: lab.identity,
    knownHostsFile,
    agentSocket: '',
    ...extra,
  });
  const target = (i: number) => ({ user: 'root', host: lab.nodes[i].ip, port: 22 });
  const knownHosts = (name: string, lines: string[]) => {
    const file = path.join(lab.dir, name);
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  };

  beforeAll(async () => {
    lab = await startTestLab(
      [
        {},
        {},
        { fakeBins: { 'iptables-save': 'exec sleep 600' } },
        { fakeBins: { 'iptables-save': 'exec yes "[0:0] -A KUBE-SERVICES -j ACCEPT"' } },
      ],
      { pod: true },
    );
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('collects a node: real iptables-save, hostname, pod netns with its own resolv.conf, sha256', async () => {
    const kh = knownHosts('kh-ok', [knownHostsLine(lab.nodes[0])]);
    const events: ProgressEvent[] = [];
    const [node] = await collectOverSsh({
      targets: [target(0)],
      auth: auth(kh),
      node: { podIps: [lab.pod!.ip] },
      onProgress: (e) => events.push(e),
    });
    expect(node.error).toBeUndefined();
    expect(node.name).toBe(lab.nodes[0].name);
    expect(node.via).toBe(`ssh root@${lab.nodes[0].ip}:22`);
    const ipt = node.captures['iptables-save']!;
    expect(ipt.stdout).toMatch(/^\[0:0\] -A KUBE-SVC-XPGD46QRK7WJZT7O .*-j KUBE-SEP-SXIVWICOYRO3J4NJ$/m);
    expect(ipt.stdout).toMatch(/^\[0:0\] -A /m); // -c counters
    expect(ipt.sha256).toBe(execFileSync('sha256sum', { input: ipt.stdout }).toString().split(' ')[0]);
    expect(node.proxyMode).toBe('iptables');
    expect(JSON.parse(node.captures['ip-addr']!.stdout).some((l: { ifname: string }) => l.ifname === 'eth0')).toBe(
      true,
    );
    // This kernel has no ip_vs: recorded as a capture error, not a node failure.
    expect(node.captures.ipvsadm!.error).toBe('IPVS not available');
    expect(node.captures.ipvsadm!.stderr).toMatch(/Can't initialize ipvs/);
    expect(node.pods).toHaveLength(1);
    expect(node.pods![0].ipAddr.stdout).toContain(lab.pod!.ip);
    expect(node.pods![0].resolvConf!.stdout).toContain('options ndots:5');
    expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(['connecting', 'collecting', 'command', 'done']));
  });

  it('accepts a HASHED known_hosts entry produced by ssh-keygen -H', async () => {
    const kh = knownHosts('kh-hashed', [knownHostsLine(lab.nodes[0])]);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', kh], { stdio: 'ignore' });
    expect(readFileSync(kh, 'utf8')).toMatch(/^\|1\|/);
    const [node] = await collectOverSsh({ targets: [target(0)], auth: auth(kh) });
    expect(node.error).toBeUndefined();
  });

  it('refuses an unknown host key unless trust-on-first-use is on; TOFU appends the key', async () => {
    const kh = knownHosts('kh-empty', []);
    const [refused] = await collectOverSsh({ targets: [target(1)], auth: auth(kh) });
    expect(refused.error?.kind).toBe('host-key');
    expect(refused.error?.message).toMatch(/unknown host key SHA256:\S+ .*refusing/);
    expect(readFileSync(kh, 'utf8').trim()).toBe('');

    const notes: string[] = [];
    const [trusted] = await collectOverSsh({
      targets: [target(1)],
      auth: auth(kh, { trustOnFirstUse: true }),
      onProgress: (e) => e.phase === 'note' && notes.push(e.message),
    });
    expect(trusted.error).toBeUndefined();
    expect(notes.join()).toMatch(/trusted on first use/);
    expect(readFileSync(kh, 'utf8').trim()).toBe(knownHostsLine(lab.nodes[1]));
    // Now known: works without TOFU.
    const [again] = await collectOverSsh({ targets: [target(1)], auth: auth(kh) });
    expect(again.error).toBeUndefined();
  });

  it('refuses a CHANGED host key, even with trust-on-first-use', async () => {
    const other = readFileSync(`${lab.identity}.pub`, 'utf8').trim(); // an ed25519 key that is not the host's
    const kh = knownHosts('kh-changed', [knownHostsLine(lab.nodes[0], other)]);
    const [node] = await collectOverSsh({ targets: [target(0)], auth: auth(kh, { trustOnFirstUse: true }) });
    expect(node.error?.kind).toBe('host-key');
    expect(node.error?.message).toMatch(/HOST KEY CHANGED/);
    expect(readFileSync(kh, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('authenticates through a real ssh-agent (SSH_AUTH_SOCK) without an identity file', async () => {
    const sock = path.join(lab.dir, 'agent.sock');
    const out = execFileSync('ssh-agent', ['-a', sock, '-s']).toString();
    const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)![1]);
    try {
      execFileSync('ssh-add', [lab.identity], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const kh = knownHosts('kh-agent', [knownHostsLine(lab.nodes[0])]);
      const [node] = await collectOverSsh({
        targets: [target(0)],
        auth: { knownHostsFile: kh, agentSocket: sock },
        node: { maxPods: 0 },
      });
      expect(node.error).toBeUndefined();
      expect(node.captures['iptables-save']!.stdout).toContain('KUBE-SVC-XPGD46QRK7WJZT7O');
    } finally {
      process.kill(pid, 'SIGTERM');
    }
  });

  it('auth failure is reported as auth', async () => {
    const kh = knownHosts('kh-auth', [knownHostsLine(lab.nodes[0])]);
    const wrongKey = path.join(lab.dir, 'hostkey-1'); // a valid private key that is not authorized
    const [node] = await collectOverSsh({
      targets: [target(0)],
      auth: { identityFile: wrongKey, knownHostsFile: kh, agentSocket: '' },
    });
    expect(node.error?.kind).toBe('auth');
  });

  it('hanging command → timeout on that node only; huge output → output-too-large; stopped sshd → unreachable', async () => {
    const kh = knownHosts(
      'kh-all',
      lab.nodes.map((n) => knownHostsLine(n)),
    );
    await lab.stopSshd(lab.nodes[1]);
    const done: string[] = [];
    const nodes = await collectOverSsh({
      targets: [0, 1, 2, 3].map(target),
      auth: auth(kh),
      concurrency: 4,
      node: { limits: { timeoutMs: 3000, maxBytes: 1024 * 1024 }, maxPods: 0 },
      onProgress: (e) => e.phase === 'done' && done.push(e.node),
    });
    expect(done).toHaveLength(4);
    expect(nodes[0].error).toBeUndefined();
    expect(nodes[0].captures['iptables-save']!.stdout).toContain('KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(nodes[1].error?.kind).toBe('unreachable');
    expect(nodes[1].error?.message).toMatch(/ECONNREFUSED/);
    expect(nodes[2].error?.kind).toBe('timeout');
    expect(nodes[2].captures['iptables-save']!.error).toMatch(/^timeout after 3000 ms/);
    // The other commands on the hanging node still ran.
    expect(nodes[2].captures['ip-addr']!.error).toBeUndefined();
    expect(nodes[3].error?.kind).toBe('output-too-large');
    const big = nodes[3].captures['iptables-save']!;
    expect(big.truncated).toBe(true);
    expect(big.stdout.length).toBe(1024 * 1024);
  });
});
