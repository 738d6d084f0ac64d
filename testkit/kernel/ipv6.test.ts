/** Kernel-verified: the tracer against real IPv6 packets through ip6tables kube-proxy rules (dual-stack lab). Root only. */
import { kernelSuite } from './kernel-suite';
import { currentLayoutRules } from './kube-rules-current';
import { DUAL_STACK_PODS, ipv6Cases, ipv6Services } from './scenarios-ipv6';

kernelSuite(
  'kernel: IPv6 (ip6tables)',
  [{ name: 'current layout, IPv6', family: 6, rules: (t) => currentLayoutRules(ipv6Services(t)), cases: ipv6Cases }],
  DUAL_STACK_PODS,
);
