import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clusterDnsmasqConfig, upstreamDnsmasqConfig } from '@/testkit/dns-lab/dnsmasq-config';
import { labCluster, LAB_UPSTREAM_HOSTS } from '@/testkit/dns-lab/lab-cluster';

const hasDnsmasq = spawnSync('sh', ['-c', 'command -v dnsmasq']).status === 0;

describe('dnsmasq configuration generated from cluster objects', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kp-dnsmasq-conf-'));
  const cluster = clusterDnsmasqConfig(labCluster('10.1.2.10'), {
    zone: 'cluster.local',
    listen: '10.1.2.10',
    upstream: '10.1.2.53',
    ttl: 30,
    runDir: dir,
  });
  const lines = cluster.text.split('\n');

  it('publishes ClusterIPs, ready endpoints only, in-zone ExternalName, namespaces as NODATA', () => {
    expect(lines).toContain('host-record=web.prod.svc.cluster.local,10.96.12.34,30');
    expect(lines).toContain('host-record=db.prod.svc.cluster.local,10.244.3.10,30');
    expect(lines).toContain('host-record=db-0.db.prod.svc.cluster.local,10.244.3.10,30');
    expect(lines.some((l) => l.includes('10.244.3.12'))).toBe(false); // db-2 is not ready
    expect(lines.some((l) => l.startsWith('host-record=empty-hl.'))).toBe(false);
    expect(lines).toContain('cname=alias.prod.svc.cluster.local,web.prod.svc.cluster.local,30');
    expect(lines.some((l) => l.includes('ext-ip'))).toBe(false);
    expect(lines).toContain('txt-record=prod.svc.cluster.local,namespace');
    expect(lines).toContain('local=/cluster.local/');
    expect(cluster.notEmulated).toEqual([]);
  });

  it.runIf(hasDnsmasq)('both configurations pass dnsmasq --test', () => {
    writeFileSync(path.join(dir, 'c.conf'), cluster.text);
    writeFileSync(path.join(dir, 'u.conf'), upstreamDnsmasqConfig(LAB_UPSTREAM_HOSTS, '10.1.2.53', dir));
    for (const f of ['c.conf', 'u.conf']) {
      const r = spawnSync('dnsmasq', ['--test', '-C', path.join(dir, f)], { encoding: 'utf8' });
      expect(r.stderr.trim()).toBe('dnsmasq: syntax check OK.');
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
