/**
 * IPVS availability. This lab's kernel has no CONFIG_IP_VS, so `ipvsadm` prints
 * "Can't initialize ipvs: Protocol not available" (ENOPROTOOPT from the IPVS sockopt). A collector
 * must report that as "IPVS not available" rather than as an empty table.
 */

export type IpvsErrorKind = 'ipvs-not-available' | 'permission-denied' | 'command-not-found' | 'unknown';

export interface IpvsErrorClass {
  kind: IpvsErrorKind;
  /** Short message for the UI. */
  message: string;
}

/** Classifies `ipvsadm` stderr. Unknown text is kept in the message, never swallowed. */
export function classifyIpvsError(stderr: string): IpvsErrorClass {
  const s = stderr.trim();
  // Permission first: a non-root ipvsadm also starts with "Can't initialize ipvs".
  if (/Permission denied|Operation not permitted/i.test(s))
    return { kind: 'permission-denied', message: 'IPVS state not readable: ipvsadm needs CAP_NET_ADMIN (run as root)' };
  if (/Protocol not available|IP Virtual Server is built in the kernel|Can't initialize ipvs/i.test(s))
    return {
      kind: 'ipvs-not-available',
      message: 'IPVS not available: the kernel has no ip_vs support (module not loaded or not built)',
    };
  if (/command not found|No such file or directory|not found/i.test(s))
    return { kind: 'command-not-found', message: 'ipvsadm is not installed on the node' };
  return { kind: 'unknown', message: `ipvsadm failed: ${s.split('\n')[0] ?? ''}` };
}
