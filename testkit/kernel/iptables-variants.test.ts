/** Kernel-verified: detector modes, masquerade-all, per-endpoint target ports, CNI hostPort DNAT. Root only. */
import { kernelSuite } from './kernel-suite';
import { VARIANT_PODS, variantGroups } from './scenarios-variants';

kernelSuite('kernel: kube-proxy variants and CNI NAT', variantGroups, VARIANT_PODS);
