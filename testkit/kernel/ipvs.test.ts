/**
 * IPVS cannot run here (the kernel has no CONFIG_IP_VS), so the "IPVS not available" path is
 * verified against the real tool's real failure: `ipvsadm -Ln` in a private netns. Root only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { isRoot, nsRun, run } from '@/testkit/netns/exec';
import { newRunHex } from '@/testkit/netns/addressing';
import { classifyIpvsError } from '@/testkit/netns/ipvs';
import { registerNamespace, unregisterNamespace } from '@/testkit/netns/process-registry';
import { isIpvsUnavailable, parseIpvsadm } from '@/lib/parse/ipvsadm';

const hasIpvsInKernel = existsSync('/proc/net/ip_vs');

describe.skipIf(!isRoot())('kernel: IPVS unavailable (real ipvsadm error)', () => {
  const ns = `kp${newRunHex()}-ipvs`;
  beforeAll(async () => {
    await run('ip', ['netns', 'add', ns]);
    registerNamespace(ns);
  });
  afterAll(async () => {
    await run('ip', ['netns', 'del', ns], { allowFail: true });
    unregisterNamespace(ns);
  });

  it.skipIf(hasIpvsInKernel)(
    'ipvsadm -Ln fails with "Protocol not available", classified as IPVS not available',
    async () => {
      const res = await nsRun(ns, 'ipvsadm', ['-Ln'], { allowFail: true });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain("Can't initialize ipvs: Protocol not available");
      const c = classifyIpvsError(res.stderr);
      expect(c.kind).toBe('ipvs-not-available');
      expect(c.message).toMatch(/^IPVS not available/);
      // The project's ipvsadm parser must reach the same conclusion from the same text.
      expect(isIpvsUnavailable(parseIpvsadm(res.stdout + res.stderr))).toBe(true);
    },
  );

  it.skipIf(hasIpvsInKernel)('adding a virtual server fails the same way (no silent success)', async () => {
    const res = await nsRun(ns, 'ipvsadm', ['-A', '-t', '10.96.0.10:53', '-s', 'rr'], { allowFail: true });
    expect(res.code).toBe(2);
    expect(classifyIpvsError(res.stderr).kind).toBe('ipvs-not-available');
  });
});

if (!isRoot()) {
  describe('kernel: IPVS unavailable', () => {
    it.skip('needs root (creates a network namespace); skipped because not running as root', () => {});
  });
}
