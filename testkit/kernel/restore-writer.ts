/**
 * Collects rules per table and chain and prints `iptables-restore` input: raw and mangle only when
 * used (host rules), then filter and nat. Part of the kernel oracle suite's own writer (see
 * kube-spec.ts): it writes kube-proxy's restore-input form, not iptables-save's canonical one.
 */

export type WriterTable = 'raw' | 'mangle' | 'filter' | 'nat';

const BUILTIN: Record<WriterTable, string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};
const ORDER: WriterTable[] = ['raw', 'mangle', 'filter', 'nat'];

export class RestoreWriter {
  private chains: Record<WriterTable, Map<string, string[]>> = {
    raw: new Map(),
    mangle: new Map(),
    filter: new Map(),
    nat: new Map(),
  };
  private used = new Set<WriterTable>(['filter', 'nat']);
  private policies: Record<string, string> = {};

  constructor() {
    for (const t of ORDER) for (const c of BUILTIN[t]) this.chains[t].set(c, []);
  }

  /** Declares a chain (idempotent); rules keep their insertion order. */
  declare(table: WriterTable, chain: string): this {
    this.used.add(table);
    if (!this.chains[table].has(chain)) this.chains[table].set(chain, []);
    return this;
  }

  /** Appends `-A chain <rule>`. */
  add(table: WriterTable, chain: string, rule: string): this {
    this.declare(table, chain);
    (this.chains[table].get(chain) as string[]).push(rule);
    return this;
  }

  /** True when `chain` already has rules (a SEP shared by the Cluster and Local pools). */
  hasRules(table: WriterTable, chain: string): boolean {
    return (this.chains[table].get(chain)?.length ?? 0) > 0;
  }

  policy(table: WriterTable, chain: string, policy: 'ACCEPT' | 'DROP'): this {
    this.policies[`${table}/${chain}`] = policy;
    return this;
  }

  toString(): string {
    const out: string[] = [];
    for (const t of ORDER) {
      if (!this.used.has(t)) continue;
      out.push(`*${t}`);
      for (const name of this.chains[t].keys()) {
        const builtin = BUILTIN[t].includes(name);
        out.push(`:${name} ${builtin ? (this.policies[`${t}/${name}`] ?? 'ACCEPT') : '-'} [0:0]`);
      }
      for (const [name, rules] of this.chains[t]) for (const r of rules) out.push(`-A ${name} ${r}`);
      out.push('COMMIT');
    }
    return out.join('\n') + '\n';
  }
}

/** kube-proxy's fixed masquerade rules, the same in the old and the current iptables layout (docs/kube-proxy-semantics.md §1.4). */
export function writeMasqueradeRules(w: RestoreWriter): void {
  w.add('nat', 'KUBE-MARK-MASQ', '-j MARK --or-mark 0x4000');
  w.add('nat', 'KUBE-POSTROUTING', '-m mark ! --mark 0x4000/0x4000 -j RETURN');
  w.add('nat', 'KUBE-POSTROUTING', '-j MARK --xor-mark 0x4000');
  w.add(
    'nat',
    'KUBE-POSTROUTING',
    '-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
  );
}
