/** Parses `user@host[:port]` (IPv6 as `user@[fd00::1]:2222`) into a validated SSH target. */
export interface SshTarget {
  user: string;
  host: string;
  port: number;
}

export function parseSshTarget(text: string): SshTarget {
  const m = /^([A-Za-z0-9._-]+)@(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?$/.exec(text);
  if (!m) throw new Error(`invalid SSH target ${JSON.stringify(text)}: expected user@host[:port]`);
  const port = m[3] ? Number(m[3]) : 22;
  if (port < 1 || port > 65535) throw new Error(`invalid SSH port in ${JSON.stringify(text)}`);
  return { user: m[1], host: m[2].replace(/^\[|\]$/g, ''), port };
}

export function formatSshTarget(t: SshTarget): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.user}@${host}:${t.port}`;
}
