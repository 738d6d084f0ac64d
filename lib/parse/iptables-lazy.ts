/**
 * Lazy rule lists. The eager pass (iptables.ts + iptables-validate.ts) checks every line and
 * records, per chain, the raw lines of its rules. `chain.rules` is an accessor that builds
 * the Rule objects from those lines the first time it is read, then replaces itself with a
 * plain data property, so afterwards the chain is an ordinary object (JSON, structuredClone,
 * spreading and assignment all behave normally). A tracer that only walks the chains a
 * packet visits never pays for the other 200k rules.
 */
import type { Chain, Rule, Table } from '@/lib/model/netfilter';

interface Pending {
  count: number;
  build: (chain: Chain) => Rule[];
}

/** Rules recorded by the eager pass and not built yet. */
const pending = new WeakMap<Chain, Pending>();

/** Number of rules in a chain, without building them. */
export function ruleCount(chain: Chain): number {
  const p = pending.get(chain);
  if (p !== undefined) return p.count;
  const shared = sharedSourceOf(chain);
  return shared !== undefined ? shared.count(chain) : chain.rules.length;
}

/** False while `chain.rules` has not been built yet (for tests and benchmarks). */
export function isMaterialized(chain: Chain): boolean {
  return !pending.has(chain) && sharedSourceOf(chain) === undefined;
}

function settle(chain: Chain, rules: Rule[]): Rule[] {
  pending.delete(chain);
  Object.defineProperty(chain, 'rules', { value: rules, writable: true, enumerable: true, configurable: true });
  return rules;
}

// One shared accessor pair for every lazy chain (no closure per chain).
const accessor: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Chain): Rule[] {
    const p = pending.get(this);
    return settle(this, p === undefined ? [] : p.build(this));
  },
  set(this: Chain, rules: Rule[]) {
    settle(this, rules);
  },
};

/**
 * Where the rules of many chains come from (one table of one parse): `build` runs at most once
 * per chain, `count` answers without building.
 */
export interface SharedRulesSource {
  count(chain: Chain): number;
  build(chain: Chain): Rule[];
}

/** Getter of each shared accessor → its source (a few per parse: one per table). */
const sharedSources = new WeakMap<object, SharedRulesSource>();

function sharedSourceOf(chain: Chain): SharedRulesSource | undefined {
  const get = Object.getOwnPropertyDescriptor(chain, 'rules')?.get;
  return get === undefined ? undefined : sharedSources.get(get);
}

/**
 * makeRulesLazy for a whole table at once: returns `install(chain)`, which ADDS the lazy `rules`
 * accessor to a chain object that has no `rules` yet (call it where `rules` belongs in the key
 * order). Every chain of the source shares one accessor pair and nothing is stored per chain:
 * adding the same accessor to objects of one shape keeps them fast-property objects of one
 * shared shape, where redefining an existing property (makeRulesLazy) turns each chain into a
 * dictionary, and a WeakMap entry per chain is more work for every garbage collection — together
 * ~4 µs per chain, a quarter of a second on a 60k-chain dump.
 */
export function sharedLazyRules(source: SharedRulesSource): (chain: Chain) => void {
  const descriptor: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: Chain): Rule[] {
      return settle(this, source.build(this));
    },
    set(this: Chain, rules: Rule[]) {
      settle(this, rules);
    },
  };
  sharedSources.set(descriptor.get!, source);
  return (chain) => Object.defineProperty(chain, 'rules', descriptor);
}

/** Installs the lazy `rules` accessor on `chain`; `build` runs at most once. */
export function makeRulesLazy(chain: Chain, count: number, build: (chain: Chain) => Rule[]): void {
  pending.set(chain, { count, build });
  Object.defineProperty(chain, 'rules', accessor);
}

/**
 * Table-level laziness: `table.chains` and `table.chainOrder` are filled on first read of
 * either (a 60k-chain record costs more to build than the whole syntax check). `build`
 * returns both; then they become plain data properties, like the chains' rules.
 */
export function makeChainsLazy(table: Table, build: () => Pick<Table, 'chains' | 'chainOrder'>): void {
  let built: Pick<Table, 'chains' | 'chainOrder'> | undefined;
  const settleTable = (key: 'chains' | 'chainOrder', v?: unknown): unknown => {
    built ??= build();
    Object.defineProperty(table, 'chains', {
      value: built.chains,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    Object.defineProperty(table, 'chainOrder', {
      value: built.chainOrder,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    if (v !== undefined)
      Object.defineProperty(table, key, { value: v, writable: true, enumerable: true, configurable: true });
    return table[key];
  };
  for (const key of ['chains', 'chainOrder'] as const) {
    Object.defineProperty(table, key, {
      enumerable: true,
      configurable: true,
      get: () => settleTable(key),
      set: (v: unknown) => settleTable(key, v),
    });
  }
}
