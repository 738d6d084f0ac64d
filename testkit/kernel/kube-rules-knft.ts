/**
 * The same kube-proxy nftables-mode rules as kube-rules-nft.ts, written as a knftables transaction
 * (one `add …` command per line, what kube-proxy's proxier hands to `nft -f`), so the suite can
 * check that reading the script itself traces like reading the kernel's `nft list ruleset`.
 *
 * Order is knftables': table, every chain, every set/map, then rules (they may name sets and goto
 * chains), then elements (map values goto chains). Rule text is the writer's own (`mark set mark or
 * 0x4000`, `ip daddr { CIDR }`), not nft's re-printed form, so the two parses really differ in text.
 */
import type { NftRuleset } from '@/lib/model/nft';
import { parseNft } from '@/lib/parse/nft';
import { nftRules } from './kube-rules-nft';
import type { KNode } from './kube-spec';

/** The knftables script for `node` (same options as nftRules). */
export function knftablesRules(node: KNode, opts: { nodePortIPs: string[]; serviceCidr: string }): string {
  const text = nftRules(node, opts);
  // nftRules writes one table block followed by `add element` lines; the block is read with the
  // list parser, the element lines are already commands.
  const blockEnd = text.indexOf('\n}\n') + 3;
  const parsed = parseNft(text.slice(0, blockEnd), { strict: true });
  const elements = text
    .slice(blockEnd)
    .split('\n')
    .filter((l) => l.startsWith('add element '));
  return [...commands(parsed.value), ...elements, ''].join('\n');
}

function commands(r: NftRuleset): string[] {
  const out: string[] = [];
  for (const t of r.tables) {
    const at = `${t.family} ${t.name}`;
    out.push(`add table ${at}${t.comment ? ` { comment "${t.comment}" ; }` : ''}`);
    for (const c of Object.values(t.chains)) {
      const hdr = c.hook
        ? ` { type ${c.type} hook ${c.hook} priority ${c.priority} ; policy ${c.policy ?? 'accept'} ; }`
        : '';
      out.push(`add chain ${at} ${c.name}${hdr}`);
    }
    for (const s of Object.values(t.sets)) {
      const props = [
        `type ${s.type}`,
        ...(s.flags.length ? [`flags ${s.flags.join(',')}`] : []),
        ...(s.comment ? [`comment "${s.comment}"`] : []),
      ];
      out.push(`add ${s.kind} ${at} ${s.name} { ${props.join(' ; ')} ; }`);
    }
    for (const c of Object.values(t.chains))
      for (const rule of c.rules) out.push(`add rule ${at} ${c.name} ${rule.text}`);
    for (const s of Object.values(t.sets)) {
      if (s.elements.length)
        out.push(
          `add element ${at} ${s.name} { ${s.elements.map((e) => `${e.key}${e.comment ? ` comment "${e.comment}"` : ''}${e.value ? ` : ${e.value}` : ''}`).join(', ')} }`,
        );
    }
  }
  return out;
}
