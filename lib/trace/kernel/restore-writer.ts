/** Collects rules per table and chain and prints `iptables-restore` input (filter, then nat). */

const BUILTIN: Record<'filter' | 'nat', string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

export class RestoreWriter {
  private chains: Record<'filter' | 'nat', Map<string, string[]>> = { filter: new Map(), nat: new Map() };
  private policies: Record<string, string> = {};

  constructor() {
    for (const t of ['filter', 'nat'] as const) for (const c of BUILTIN[t]) this.chains[t].set(c, []);
  }

  /** Declares a chain (idempotent); rules keep their insertion order. */
  declare(table: 'filter' | 'nat', chain: string): this {
    if (!this.chains[table].has(chain)) this.chains[table].set(chain, []);
    return this;
  }

  /** Appends `-A chain <rule>`. */
  add(table: 'filter' | 'nat', chain: string, rule: string): this {
    this.declare(table, chain);
    (this.chains[table].get(chain) as string[]).push(rule);
    return this;
  }

  /** True when `chain` already has rules (a SEP shared by the Cluster and Local pools). */
  hasRules(table: 'filter' | 'nat', chain: string): boolean {
    return (this.chains[table].get(chain)?.length ?? 0) > 0;
  }

  policy(table: 'filter' | 'nat', chain: string, policy: 'ACCEPT' | 'DROP'): this {
    this.policies[`${table}/${chain}`] = policy;
    return this;
  }

  toString(): string {
    const out: string[] = [];
    for (const t of ['filter', 'nat'] as const) {
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
