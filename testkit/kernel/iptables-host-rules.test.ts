/** Kernel-verified: non-kube rules (host firewall, hand-made DNAT) around kube-proxy's. Root only. */
import { kernelSuite } from './kernel-suite';
import { hostGroups } from './scenarios-host';

kernelSuite('kernel: host rules around kube-proxy', hostGroups);
