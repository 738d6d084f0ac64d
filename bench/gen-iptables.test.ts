import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKubeProxyDump, generateSyntheticDump } from '@/bench/gen-iptables';
import { FIXTURE_SERVICES_V4, FIXTURE_SERVICES_V6 } from '@/bench/fixture-services';
import { chainHash, savedProbability } from '@/bench/kube-proxy-shape';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { summarizeIptables } from '@/lib/parse/iptables-summary';

const fixtures = path.join(import.meta.dirname, '..', 'lib', 'parse', '__fixtures__', 'iptables');

/** Table blocks (`*name` … `COMMIT`) without comment lines and counters, keyed by table. */
function blocks(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let name = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    if (line.startsWith('*')) name = line.slice(1);
    const clean = line.replace(/^\[\d+:\d+\] /, '').replace(/ \[\d+:\d+\]$/, ' [0:0]');
    out[name] = (out[name] ?? '') + clean + '\n';
  }
  return out;
}

describe('bench generator > realism', () => {
  it('writes exactly what the real iptables-save prints back (legacy capture of the same services)', () => {
    const real = readFileSync(path.join(fixtures, 'kube-proxy-current-legacy.save'), 'utf8');
    expect(blocks(generateKubeProxyDump(FIXTURE_SERVICES_V4))).toEqual(blocks(real));
  });

  it('and for ip6tables (nft capture with counters, counters ignored)', () => {
    const real = readFileSync(path.join(fixtures, 'kube-proxy-ipv6-nft-counters.save'), 'utf8');
    expect(blocks(generateKubeProxyDump(FIXTURE_SERVICES_V6, { family: 'ipv6' }))).toEqual(blocks(real));
  });

  it('uses kube-proxy hashes and the kernel-rounded probabilities', () => {
    expect(chainHash('ns1/svc1:p80tcp')).toBe('XPGD46QRK7WJZT7O');
    expect(chainHash('ns1/svc1:p80tcp10.180.0.1:80')).toBe('SXIVWICOYRO3J4NJ');
    expect([2, 3, 5, 6, 10].map((n) => savedProbability(1 / n))).toEqual(['0.50000000000', '0.33333333349', '0.20000000019', '0.16666666651', '0.10000000009']);
  });

  it('synthetic dumps parse cleanly and count their services', () => {
    const { value, issues } = parseIptablesSave(generateSyntheticDump(200, 5));
    expect(issues).toEqual([]);
    expect(summarizeIptables(value).services).toBe(200);
  });
});
