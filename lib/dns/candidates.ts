/**
 * The names a stub resolver tries, in order, for one lookup (search-list × ndots expansion).
 * glibc: resolv/res_query.c __res_context_search. musl: src/network/lookup_name.c
 * name_from_dns_search. Which candidates are actually *sent* also depends on the answers
 * (lib/dns/lookup.ts decides when to stop); this is the full ordered list.
 */
import type { CandidateName, ResolverConfig } from '@/lib/model/dns';

function fq(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** Number of dots in the name as typed (a trailing dot counts, as in glibc's counter). */
export function countDots(name: string): number {
  return name.split('.').length - 1;
}

export function candidateNames(name: string, config: ResolverConfig): CandidateName[] {
  return config.flavor === 'musl' ? muslCandidates(name, config) : glibcCandidates(name, config);
}

function glibcCandidates(name: string, config: ResolverConfig): CandidateName[] {
  const out: CandidateName[] = [];
  const rooted = name.endsWith('.');
  const dots = countDots(name);
  if (rooted) return [{ fqdn: name, reason: 'rooted' }];
  let triedAsIs = false;
  if (dots >= config.options.ndots) {
    // Enough dots: the name is tried as-is first, and glibc still walks the search list after.
    out.push({ fqdn: fq(name), reason: 'as-is-first' });
    triedAsIs = true;
  }
  let rootOnList = false;
  let searched = false;
  for (const domain of config.search) {
    searched = true;
    if (domain === '.' || domain === '') {
      // A "." search entry means "the name as-is" at that position.
      rootOnList = true;
      out.push({ fqdn: fq(name), reason: 'search', searchDomain: '.' });
      continue;
    }
    out.push({ fqdn: `${name}.${domain}.`, reason: 'search', searchDomain: domain });
  }
  const tldAllowed = dots > 0 || !searched || !config.options.noTldQuery;
  if (tldAllowed && !(triedAsIs || rootOnList)) out.push({ fqdn: fq(name), reason: 'as-is-last' });
  return out;
}

function muslCandidates(name: string, config: ResolverConfig): CandidateName[] {
  const rooted = name.endsWith('.');
  const dots = countDots(name);
  // musl never searches a rooted name or one with at least ndots dots: the as-is answer is final.
  if (rooted) return [{ fqdn: name, reason: 'rooted' }];
  if (dots >= config.options.ndots) return [{ fqdn: fq(name), reason: 'as-is-first' }];
  const out: CandidateName[] = [];
  for (const domain of config.search) {
    // musl builds "name.domain" in a 256-byte buffer and silently skips domains that do not fit.
    if (domain.length >= 256 - name.length - 1) continue;
    // A "." entry yields "name.." (empty label); lookup.ts models what musl does with it.
    if (domain === '.') {
      out.push({ fqdn: `${name}..`, reason: 'search', searchDomain: '.' });
      continue;
    }
    out.push({ fqdn: `${name}.${domain}.`, reason: 'search', searchDomain: domain });
  }
  out.push({ fqdn: fq(name), reason: 'as-is-last' });
  return out;
}
