/**
 * getaddrinfo() as glibc or musl performs it: candidates in order, A and/or AAAA per candidate,
 * the answers, and the resolver's decision after each candidate (docs/dns-semantics.md §3).
 */
import type { CandidateOutcome, DnsAnswer, DnsQuery, GaiStatus, ResolutionStep, ResolverConfig } from '@/lib/model/dns';
import { candidateNames } from '@/lib/dns/candidates';

export type Answerer = (nameserver: string, qname: string, qtype: 'A' | 'AAAA') => DnsAnswer;

export interface SimulatedLookup {
  steps: ResolutionStep[];
  queries: DnsQuery[];
  addresses: string[];
  status: GaiStatus;
}

function queryTypes(config: ResolverConfig, family: 'unspec' | 'inet' | 'inet6'): ('A' | 'AAAA')[] {
  if (family === 'inet') return ['A'];
  if (family === 'inet6') return ['AAAA'];
  // glibc >= 2.36 `no-aaaa` suppresses AAAA queries; musl ignores the option.
  return config.flavor === 'glibc' && config.options.noAaaa ? ['A'] : ['A', 'AAAA'];
}

function classify(answers: DnsAnswer[]): CandidateOutcome {
  if (answers.some((a) => a.rcode === 'NO_RESPONSE')) return 'no-response';
  if (answers.some((a) => a.answers.some((r) => r.type === 'A' || r.type === 'AAAA'))) return 'addresses';
  if (answers.some((a) => a.rcode === 'NOERROR' && a.answers.length > 0)) return 'cname-only';
  if (answers.some((a) => a.rcode === 'SERVFAIL')) return 'servfail';
  if (answers.some((a) => a.rcode === 'REFUSED')) return 'refused';
  if (answers.some((a) => a.rcode === 'NXDOMAIN')) return 'nxdomain';
  return 'nodata';
}

/** musl checks the replies in query order (A before AAAA) and the first non-NOERROR rcode decides. */
function classifyMusl(answers: DnsAnswer[]): CandidateOutcome {
  for (const a of answers) {
    if (a.rcode === 'NO_RESPONSE' || a.rcode === 'REFUSED') return 'no-response'; // REFUSED is ignored → timeout
    if (a.rcode === 'SERVFAIL') return 'servfail';
    if (a.rcode === 'NXDOMAIN') return 'nxdomain';
  }
  return classify(answers);
}

/** Ask the nameservers as the flavour does; returns the queries sent and the answers that count. */
function ask(
  config: ResolverConfig,
  qname: string,
  types: ('A' | 'AAAA')[],
  answer: Answerer,
  candidate: number,
): { sent: DnsQuery[]; used: DnsAnswer[] } {
  const sent: DnsQuery[] = [];
  const used: DnsAnswer[] = [];
  for (const type of types) {
    if (config.flavor === 'musl') {
      // musl sends every query to every nameserver at once; the first NOERROR/NXDOMAIN reply wins.
      // Which one arrives first is a race; the model takes the first listed server that gives one.
      const replies = config.nameservers.map((ns) => ({ ns, a: answer(ns, qname, type) }));
      for (const r of replies) sent.push({ ...r.a, name: qname, type, nameserver: r.ns, candidate });
      const ok = replies.find((r) => r.a.rcode === 'NOERROR' || r.a.rcode === 'NODATA' || r.a.rcode === 'NXDOMAIN');
      used.push(ok?.a ?? replies[0].a);
      continue;
    }
    // glibc tries servers in order; the next one only on timeout, SERVFAIL, REFUSED or NOTIMP.
    let last: DnsAnswer | undefined;
    for (const ns of config.nameservers) {
      last = answer(ns, qname, type);
      sent.push({ ...last, name: qname, type, nameserver: ns, candidate });
      if (last.rcode !== 'SERVFAIL' && last.rcode !== 'REFUSED' && last.rcode !== 'NO_RESPONSE') break;
    }
    used.push(last!);
  }
  return { sent, used };
}

const addressesOf = (answers: DnsAnswer[]) =>
  answers.flatMap((a) => a.answers.filter((r) => r.type === 'A' || r.type === 'AAAA').map((r) => r.data));

export function simulateLookup(
  name: string,
  config: ResolverConfig,
  answer: Answerer,
  family: 'unspec' | 'inet' | 'inet6' = 'unspec',
): SimulatedLookup {
  const candidates = candidateNames(name, config);
  const types = queryTypes(config, family);
  const steps: ResolutionStep[] = [];
  const queries: DnsQuery[] = [];
  let gotNodata = false;
  let gotServfail = false;
  let asIsFirstError: GaiStatus | undefined;
  let status: GaiStatus = 'EAI_NONAME';
  let addresses: string[] = [];
  if (name === '' || name === '.' || name.endsWith('..')) return { steps, queries, addresses, status: 'EAI_NONAME' };

  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (config.flavor === 'musl' && c.fqdn.endsWith('..')) {
      // Verified in the lab (musl 1.2.3): the "name.." candidate from a "." search domain produces
      // no query any server logs or answers; musl waits out `timeout` and fails with EAI_AGAIN.
      steps.push({
        candidate: c,
        queries: [],
        outcome: 'no-response',
        decision: 'stop',
        why: `musl turns the "." search domain into "${c.fqdn}", a name with an empty label: nothing answers, the lookup fails after timeout:${config.options.timeout}s`,
      });
      return { steps, queries, addresses, status: 'EAI_AGAIN' };
    }
    if (config.flavor === 'glibc' && c.reason === 'search' && c.fqdn.length - 1 > 253) {
      // Verified in the lab (glibc 2.36): res_mkquery cannot encode a name over 253 characters;
      // h_errno NO_RECOVERY ends the search-list walk, but the as-is name is still tried last.
      steps.push({
        candidate: c,
        queries: [],
        outcome: 'name-too-long',
        decision: 'next-candidate',
        why: `${c.fqdn.length - 1} characters is longer than a DNS name can be: nothing is sent and glibc stops walking the search list`,
      });
      while (i + 1 < candidates.length && candidates[i + 1].reason === 'search') i++;
      continue;
    }
    const { sent, used } = ask(config, c.fqdn, types, answer, i);
    queries.push(...sent);
    const outcome = config.flavor === 'musl' ? classifyMusl(used) : classify(used);
    const step: ResolutionStep = { candidate: c, queries: sent, outcome, decision: 'stop', why: '' };
    steps.push(step);
    if (outcome === 'addresses') {
      addresses = [...new Set(addressesOf(used))];
      step.decision = 'success';
      step.why = 'an answer carried addresses';
      return { steps, queries, addresses, status: 'OK' };
    }
    if (config.flavor === 'musl') {
      if (outcome === 'nxdomain') {
        step.decision = 'next-candidate';
        step.why = 'musl continues only after NXDOMAIN';
        continue;
      }
      step.why =
        outcome === 'nodata' || outcome === 'cname-only'
          ? 'musl stops at a NOERROR answer without addresses (NODATA): the remaining search domains are never tried'
          : `musl stops on ${outcome}`;
      // musl 1.2.3 (Debian, Alpine ≤3.17) reports NODATA as EAI_NONAME; 1.2.4+ as EAI_NODATA.
      status = outcome === 'nodata' || outcome === 'cname-only' ? 'EAI_NONAME' : 'EAI_AGAIN';
      return { steps, queries, addresses, status };
    }
    // glibc
    if (c.reason === 'rooted') {
      step.why = 'a rooted name is tried once';
      status = gaiFromGlibc(outcome);
      return { steps, queries, addresses, status };
    }
    if (c.reason === 'as-is-first') {
      // glibc remembers the as-is failure (it wins as the final error) and walks the search list.
      asIsFirstError = gaiFromGlibc(outcome);
      // An answer with records (CNAME only) counts as success for res_search and ends the lookup;
      // any failure of the as-is try (even a timeout) only moves glibc on to the search list.
      if (outcome === 'cname-only') {
        step.why = 'the answer has records but no address: res_search is done, getaddrinfo finds nothing';
        return { steps, queries, addresses, status: asIsFirstError };
      }
      step.decision = 'next-candidate';
      step.why = 'name had at least ndots dots: tried as-is first; on failure glibc still walks the search list';
      continue;
    }
    if (outcome === 'nxdomain' || outcome === 'nodata' || outcome === 'servfail') {
      if (outcome === 'nodata') gotNodata = true;
      if (outcome === 'servfail') gotServfail = true;
      step.decision = 'next-candidate';
      step.why = `glibc continues after ${outcome.toUpperCase()}`;
      continue;
    }
    step.why =
      outcome === 'cname-only'
        ? "an answer without addresses (CNAME only) ends glibc's search"
        : `glibc stops on ${outcome}`;
    return { steps, queries, addresses, status: outcome === 'cname-only' ? 'EAI_NONAME' : 'EAI_AGAIN' };
  }
  const last = steps[steps.length - 1];
  if (last) {
    last.decision = 'stop';
    last.why = `${last.outcome.toUpperCase()} and no candidates left`;
  }
  if (config.flavor === 'glibc') {
    if (asIsFirstError) status = asIsFirstError;
    else if (gotNodata) status = 'EAI_NODATA';
    else if (gotServfail) status = 'EAI_AGAIN';
    else status = gaiFromGlibc(steps[steps.length - 1]?.outcome ?? 'nxdomain');
  }
  return { steps, queries, addresses, status };
}

function gaiFromGlibc(o: CandidateOutcome): GaiStatus {
  switch (o) {
    case 'addresses':
      return 'OK';
    case 'nodata':
      return 'EAI_NODATA';
    case 'servfail':
    case 'refused':
    case 'no-response':
      return 'EAI_AGAIN';
    default:
      return 'EAI_NONAME';
  }
}
