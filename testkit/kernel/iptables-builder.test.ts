/** Kernel-verified: rulesets from testkit/kube-proxy-writer/iptables.ts (affinity, localhost NodePorts, ...). Root only. */
import { kernelSuite } from './kernel-suite';
import { builderGroup } from './scenarios-builder';

kernelSuite('kernel: iptables rulesets from the tracer test builder', [builderGroup]);
