/**
 * An IPVS-mode node for the demo snapshot. This kernel has no ip_vs, so a real IPVS kube-proxy
 * cannot run here. Instead a private netns gets what kube-proxy's IPVS proxier would leave on a
 * node (kube-ipvs0 with every VIP, the KUBE-* ipsets, the IPVS-mode iptables rules), and the REAL
 * collector captures it with the real tools. Only `ipvsadm -Ln` is synthesized (exact format).
 * `via` says so plainly.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ApiObjects } from '@/lib/model/k8s';
import type { NodeCapture } from '@/lib/model/snapshot';
import { sha256 } from '@/lib/snapshot/hash';
import { collectNode } from '../../agents/collect-node';
import {
  ipsetRestore,
  ipvsadmText,
  ipvsModeRules,
  virtualServers,
  type IpvsNodeSpec,
} from '@/testkit/kube-proxy-writer/ipvs';
import { NetnsRunner } from './netns-runner';

export const IPVS_FIXTURE_VIA =
  'fixture: IPVS cannot run on this kernel (ipsets, iptables rules and addresses built in a private netns and captured with the real tools; ipvsadm -Ln text synthesized in its exact format)';

export interface IpvsFixtureOptions extends IpvsNodeSpec {
  name: string;
  cniDir?: string;
}

export async function buildIpvsFixtureNode(api: ApiObjects, opts: IpvsFixtureOptions): Promise<NodeCapture> {
  const ns = `kp${randomBytes(2).toString('hex')}-ipvs`;
  const sh = (args: string[], input?: string) =>
    execFileSync('ip', ['netns', 'exec', ns, ...args], { input, stdio: ['pipe', 'pipe', 'pipe'] });
  const peer = `${ns}p`;
  execFileSync('ip', ['netns', 'add', ns]);
  execFileSync('ip', ['netns', 'add', peer]);
  try {
    sh(['ip', 'link', 'set', 'lo', 'up']);
    // No dummy driver in this kernel: veths whose far ends sit in a throwaway netns stand in.
    sh(['ip', 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peer]);
    sh(['ip', 'addr', 'add', `${opts.nodeIP}/24`, 'dev', 'eth0']);
    sh(['ip', 'link', 'set', 'eth0', 'up']);
    // kube-proxy binds every VIP to the dummy kube-ipvs0 so the node accepts it as local (§3.5 step 2).
    sh(['ip', 'link', 'add', 'kube-ipvs0', 'type', 'veth', 'peer', 'name', 'ipvs0', 'netns', peer]);
    const vips = new Set(
      virtualServers(api, opts)
        .map((v) => v.ip)
        .filter((ip) => ip !== opts.nodeIP),
    );
    for (const ip of vips) sh(['ip', 'addr', 'add', `${ip}/32`, 'dev', 'kube-ipvs0']);
    sh(['ipset', 'restore'], ipsetRestore(api));
    sh(['iptables-restore'], ipvsModeRules(opts));
    const node = await collectNode(new NetnsRunner(ns, IPVS_FIXTURE_VIA), {
      fallbackName: opts.name,
      maxPods: 0,
      cniDir: opts.cniDir,
    });
    node.name = opts.name;
    const hostname = `${opts.name}\n`;
    node.captures.hostname = { ...node.captures.hostname!, stdout: hostname, sha256: sha256(hostname) };
    const list = ipvsadmText(virtualServers(api, opts));
    node.captures.ipvsadm = { command: 'ipvsadm -Ln', stdout: list, stderr: '', exitCode: 0, sha256: sha256(list) };
    delete node.captures['ipvsadm-stats'];
    delete node.captures['kube-proxy-mode'];
    delete node.captures.conntrack;
    node.proxyMode = 'ipvs';
    node.pods = [];
    node.warnings = [
      'fixture node: IPVS cannot run on this kernel; ipvsadm text synthesized from the API objects, the rest captured from a netns',
    ];
    return node;
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
    execFileSync('ip', ['netns', 'del', peer]);
  }
}
