/**
 * Kernel-verified: the tracer against real packets through a kube-proxy nftables-mode ruleset
 * (`table ip kube-proxy`, loaded with `nft -f`, read back with `nft list ruleset`). Root only.
 * The knftables group loads a one-command-per-line script and traces the script's own parse.
 */
import { kernelSuite } from './kernel-suite';
import { nftRules } from './kube-rules-nft';
import { knftablesRules } from './kube-rules-knft';
import { hostNftTable, knftCases, knftServices, nftCases, nftHostCases, nftServices } from './scenarios-nft';

kernelSuite('kernel: nftables mode', [
  {
    name: 'table ip kube-proxy',
    nft: true,
    rules: (t) => nftRules(nftServices(t), { nodePortIPs: [t.plan.node[0].underlay], serviceCidr: t.plan.serviceCidr }),
    cases: nftCases,
  },
  {
    name: 'kube-proxy table plus a host firewall table',
    nft: true,
    rules: (t) =>
      nftRules(nftServices(t), { nodePortIPs: [t.plan.node[0].underlay], serviceCidr: t.plan.serviceCidr }) +
      hostNftTable(t),
    cases: nftHostCases,
  },
  {
    name: 'knftables script (add table/chain/rule/element), traced from the script itself',
    nft: true,
    script: true,
    rules: (t) =>
      knftablesRules(knftServices(t), { nodePortIPs: [t.plan.node[0].underlay], serviceCidr: t.plan.serviceCidr }),
    cases: knftCases,
  },
]);
