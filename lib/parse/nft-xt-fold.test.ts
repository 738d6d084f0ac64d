import { describe, expect, it } from 'vitest';
import { parseNft } from '@/lib/parse/nft';
import { foldIptablesNftXtWarnings } from '@/lib/parse/nft-xt-fold';

// Shape of `nft list ruleset` on an iptables-nft node (nft 1.0.6), plus a hand-made table that
// uses an xt statement in a table iptables-save does not show (inet): only ip/ip6 filter, nat,
// mangle, raw and security are folded.
const RULESET = `table ip nat {
\tchain KUBE-SEP-A {
\t\tmeta l4proto tcp  xt match recent  counter packets 0 bytes 0 dnat to 10.244.1.2:80
\t}
\tchain KUBE-SVC-X {
\t\t xt match recent counter packets 0 bytes 0 jump KUBE-SEP-A
\t\t xt match statistic counter packets 0 bytes 0 jump KUBE-SEP-A
\t}
}
table ip filter {
\tchain FORWARD {
\t\ttype filter hook forward priority filter; policy accept;
\t\t xt match physdev counter packets 0 bytes 0 accept
\t}
}
table inet custom {
\tchain input {
\t\ttype filter hook input priority filter; policy accept;
\t\t xt match owner counter packets 0 bytes 0 accept
\t}
}
# Warning: table ip nat is managed by iptables-nft, do not touch!
# Warning: table ip filter is managed by iptables-nft, do not touch!
`;

describe('foldIptablesNftXtWarnings', () => {
  const { value, issues } = parseNft(RULESET);

  it('starts from one warning per opaque rule', () => {
    expect(issues.filter((i) => /xt match/.test(i.reason)).map((i) => i.line)).toEqual([3, 6, 7, 13, 19]);
  });

  it("folds iptables-nft's tables into one warning and keeps the others", () => {
    const folded = foldIptablesNftXtWarnings(value, issues);
    const xt = folded.filter((i) => /xt|extensions/.test(i.reason));
    expect(xt).toHaveLength(2);
    expect(xt[0]).toMatchObject({ line: 19, severity: 'warning' });
    expect(xt[0].reason).toMatch(/"owner"/);
    expect(xt[1]).toMatchObject({ line: 3, severity: 'warning' });
    expect(xt[1].reason).toBe(
      "4 rules in iptables-nft's own tables (ip nat, ip filter) use iptables extensions nft cannot show (recent, statistic, physdev); the same rules are read in full from iptables-save (first at this line)",
    );
  });

  it('leaves a ruleset without iptables-nft tables untouched', () => {
    const plain = parseNft(
      RULESET.replace(/# Warning.*\n/g, '').replace(/xt match (recent|statistic|physdev)/g, 'meta mark 0x1'),
    );
    expect(plain.issues).toHaveLength(1);
    expect(foldIptablesNftXtWarnings(plain.value, plain.issues)).toBe(plain.issues);
  });
});
