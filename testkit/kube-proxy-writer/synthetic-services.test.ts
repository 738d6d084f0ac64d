import { describe, expect, it } from 'vitest';
import { generateSyntheticDump, syntheticServices } from '@/testkit/kube-proxy-writer/synthetic-services';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { summarizeIptables } from '@/lib/parse/iptables-summary';

describe('bench synthetic dump', () => {
  it('parses cleanly and counts its services', () => {
    const { value, issues } = parseIptablesSave(generateSyntheticDump(200, 5));
    expect(issues).toEqual([]);
    expect(summarizeIptables(value).services).toBe(200);
  });

  it('has the promised mix of shapes', () => {
    const s = syntheticServices(1000, 5);
    expect(s.filter((x) => x.nodePort).length).toBe(200);
    expect(s.filter((x) => x.lbIPs).length).toBe(100);
    expect(s.filter((x) => x.etp === 'Local').length).toBe(34);
    expect(s.filter((x) => x.itp === 'Local').length).toBe(20);
    expect(s.filter((x) => !x.endpoints.length).length).toBe(11);
  });
});
