import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cniReadCommand,
  NODE_COMMANDS,
  POD_IP_ADDR_SCRIPT,
  podIpAddrBatchCommand,
  splitPodIpAddrBatch,
  podIpAddrCommand,
  podResolvConfCommand,
  shellQuote,
  validateCniDir,
  validatePid,
  withSudo,
} from './commands';

describe('command allowlist', () => {
  it('every node command is a constant read-only argv', () => {
    const firstWords = new Set(Object.values(NODE_COMMANDS).map((a) => a![0]));
    expect([...firstWords].sort()).toEqual([
      'cat',
      'conntrack',
      'ip',
      'ip6tables-legacy-save',
      'ip6tables-save',
      'ipset',
      'iptables-legacy-save',
      'iptables-save',
      'ipvsadm',
      'nft',
    ]);
    expect(NODE_COMMANDS.nft).toEqual(['nft', 'list', 'ruleset']);
  });

  it.each(['1; rm -rf /', '-1', '0', '4194304', '12a', '', ' 12', '$(id)'])('refuses PID %j', (pid) => {
    expect(() => validatePid(pid)).toThrow(/refusing PID/);
  });

  it('builds pod commands from validated PIDs', () => {
    expect(podIpAddrCommand('4242')).toEqual(['nsenter', '-t', '4242', '-n', 'ip', '-j', 'addr']);
    expect(podResolvConfCommand(4242)).toEqual(['cat', '/proc/4242/root/etc/resolv.conf']);
  });

  it('batches pod ip addr with validated PIDs as arguments, never in the script', () => {
    const argv = podIpAddrBatchCommand([12, '345']);
    expect(argv).toEqual(['sh', '-c', POD_IP_ADDR_SCRIPT, 'sh', '12', '345']);
    expect(() => podIpAddrBatchCommand(['1', '2;reboot'])).toThrow(/refusing PID/);
    const out = execFileSync('/bin/sh', ['-c', 'printf "== 12\\n[{\\"a\\":1}]\\n\\n== 345\\n\\n"']).toString();
    expect([...splitPodIpAddrBatch(out)]).toEqual([
      [12, '[{"a":1}]\n'],
      [345, ''],
    ]);
  });

  it('refuses hostile CNI dirs and file names', () => {
    expect(() => validateCniDir('/etc/cni/../../root')).toThrow();
    expect(() => validateCniDir('etc/cni')).toThrow();
    expect(() => validateCniDir("/etc/cni'; id'")).toThrow();
    expect(() => cniReadCommand('/etc/cni/net.d', '../shadow')).toThrow();
    expect(cniReadCommand('/etc/cni/net.d/', '10-bridge.conflist')).toEqual([
      'cat',
      '/etc/cni/net.d/10-bridge.conflist',
    ]);
  });

  it('withSudo uses non-interactive sudo', () => {
    expect(withSudo(['iptables-save', '-c'], true)).toEqual(['sudo', '-n', 'iptables-save', '-c']);
  });

  it('shellQuote round-trips any string through the real /bin/sh', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary', minLength: 0, maxLength: 12 }).filter((s) => !s.includes('\0')),
          { minLength: 1, maxLength: 4 },
        ),
        (words) => {
          const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${shellQuote(words)}`]).toString();
          expect(out.split('\0').slice(0, -1)).toEqual(words);
        },
      ),
      { numRuns: 60 },
    );
  });
});
