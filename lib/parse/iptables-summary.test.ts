/**
 * summarizeIptables has two ways to count: from the parse's rows while nobody has read the
 * tables (what `kubepath parse` does: no Chain, no Rule built), and from the Chain and Rule
 * objects once they exist. Both must give the same summary.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSyntheticDump } from '@/testkit/kube-proxy-writer/synthetic-services';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { unbuiltTableState } from '@/lib/parse/iptables-chain-rules';
import { isMaterialized } from '@/lib/parse/iptables-lazy';
import { summarizeIptables } from '@/lib/parse/iptables-summary';

function bothWays(text: string) {
  const fresh = parseIptablesSave(text).value;
  const tables = Object.values(fresh.tables);
  const scanned = summarizeIptables(fresh);
  // The scan built nothing: every table is still unread.
  for (const t of tables) expect(unbuiltTableState(t!)).toBeDefined();
  const read = parseIptablesSave(text).value;
  for (const t of Object.values(read.tables)) for (const c of Object.values(t!.chains)) void c.rules;
  return { scanned, read: summarizeIptables(read) };
}

const fixtureDir = path.join(import.meta.dirname, '__fixtures__', 'iptables');
const odd = [
  // CRLF line ends, a rule in an undeclared chain, a chain's rules in two runs, a counter prefix.
  '*nat\r\n:PREROUTING ACCEPT [0:0]\r\n:KUBE-SERVICES - [0:0]\r\n-A KUBE-SERVICES -m comment --comment "a/b cluster IP" -j ACCEPT\r\nCOMMIT\r\n',
  '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-X - [0:0]\n-A KUBE-SERVICES -m comment --comment "a/b:p cluster IP" -j KUBE-SVC-X\n-A KUBE-SVC-X -j ACCEPT\n-A KUBE-SERVICES -m comment --comment a/c -j ACCEPT\n[3:4] -A KUBE-NODEPORTS -m comment --comment "a/d: has no endpoints" -j ACCEPT\nCOMMIT\n',
  '*filter\n:INPUT ACCEPT [1:2]\n:KUBE-SVL-Y - [5:6]\n:KUBE-EXTERNAL-SERVICES - [0:0]\n-A KUBE-EXTERNAL-SERVICES -m comment --comment "x/y external IP" -m comment --comment z -j ACCEPT\nCOMMIT\n',
];

describe('summarizeIptables: from the rows equals from the objects', () => {
  it.each(readdirSync(fixtureDir).filter((f) => f.endsWith('.save')))('%s', (f) => {
    const { scanned, read } = bothWays(readFileSync(path.join(fixtureDir, f), 'utf8'));
    expect(scanned).toEqual(read);
  });

  it('a generated kube-proxy dump', () => {
    const { scanned, read } = bothWays(generateSyntheticDump(80, 3));
    expect(scanned).toEqual(read);
    expect(scanned.services).toBe(80);
  });

  it.each(odd.map((t, i) => [i, t]))('odd input %i', (_i, text) => {
    const { scanned, read } = bothWays(text as string);
    expect(scanned).toEqual(read);
    expect(scanned.services).toBeGreaterThan(0);
  });

  it('reads the tables, not a stale scan, once someone replaced their chains', () => {
    const dump = parseIptablesSave(odd[1]).value;
    const nat = dump.tables.nat!;
    const svc = nat.chains['KUBE-SERVICES'];
    expect(isMaterialized(svc)).toBe(false);
    nat.chains = { 'KUBE-SERVICES': { ...svc, rules: svc.rules.slice(0, 1) } };
    nat.chainOrder = ['KUBE-SERVICES'];
    expect(summarizeIptables(dump)).toMatchObject({ chains: 1, rules: 1, services: 1, serviceChains: 0 });
  });
});
