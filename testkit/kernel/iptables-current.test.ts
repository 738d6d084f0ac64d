/**
 * Kernel-verified: the tracer against real packets through the current kube-proxy layout
 * (KUBE-SVC/SVL/EXT/FW, KUBE-PROXY-FIREWALL, filter REJECT/DROP), loaded with iptables-restore
 * into a node netns. Root only; see kernel-suite.ts.
 */
import { kernelSuite } from './kernel-suite';
import { currentLayoutRules } from './kube-rules-current';
import { currentCases, standardServices } from './scenarios-current';

kernelSuite('kernel: iptables current layout', [
  { name: 'ten services', rules: (t) => currentLayoutRules(standardServices(t)), cases: currentCases },
]);
