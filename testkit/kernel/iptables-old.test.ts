/** Kernel-verified: the tracer against real packets through the pre-1.25 kube-proxy layout. Root only. */
import { kernelSuite } from './kernel-suite';
import { oldLayoutRules } from './kube-rules-old';
import { oldCases, oldServices } from './scenarios-old';

kernelSuite('kernel: iptables old layout (KUBE-XLB, KUBE-FW, KUBE-MARK-DROP)', [
  { name: 'six services', rules: (t) => oldLayoutRules(oldServices(t)), cases: oldCases },
]);
