/**
 * Opens an ssh2 connection with key auth (identity file and/or SSH agent) and strict known_hosts
 * verification. Failures are classified so the snapshot can say *why* a node was not collected.
 */
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import type { NodeErrorKind } from '@/lib/model/snapshot';
import { appendKnownHost, fingerprint, loadKnownHosts, verifyHostKey } from './known-hosts';
import type { SshTarget } from './ssh-target';

export interface SshAuthOptions {
  /** Private key file (OpenSSH or PEM format, unencrypted or with `passphrase`). */
  identityFile?: string;
  passphrase?: string;
  /** SSH agent socket; defaults to $SSH_AUTH_SOCK. */
  agentSocket?: string;
  knownHostsFile: string;
  /** Accept and append an UNKNOWN host key. A CHANGED key is always refused. */
  trustOnFirstUse?: boolean;
  connectTimeoutMs?: number;
}

/** A connection failure with the NodeErrorKind it maps to. */
export class SshConnectError extends Error {
  constructor(
    readonly kind: NodeErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SshConnectError';
  }
}

export function connectSsh(target: SshTarget, auth: SshAuthOptions, onNote?: (note: string) => void): Promise<Client> {
  const client = new Client();
  let hostKeyProblem: string | undefined;
  const privateKey = auth.identityFile ? readFileSync(auth.identityFile) : undefined;
  const agent = auth.agentSocket ?? process.env.SSH_AUTH_SOCK;
  if (!privateKey && !agent) {
    return Promise.reject(
      new SshConnectError('auth', 'no SSH key: pass --identity FILE or run an SSH agent (SSH_AUTH_SOCK)'),
    );
  }
  const where = `${target.host}:${target.port}`;

  return new Promise((resolve, reject) => {
    const fail = (err: Error & { level?: string; code?: string }) => {
      client.end();
      if (hostKeyProblem) return reject(new SshConnectError('host-key', hostKeyProblem));
      if (err.level === 'client-authentication') {
        return reject(new SshConnectError('auth', `authentication failed for ${target.user}@${where}: ${err.message}`));
      }
      if (err.level === 'client-timeout' || /Timed out/i.test(err.message)) {
        return reject(new SshConnectError('unreachable', `connection to ${where} timed out`));
      }
      if (err.code && /^E(CONNREFUSED|HOSTUNREACH|NETUNREACH|CONNRESET|TIMEDOUT|NOTFOUND|AI_AGAIN)$/.test(err.code)) {
        return reject(new SshConnectError('unreachable', `cannot reach ${where}: ${err.code}`));
      }
      reject(new SshConnectError('unreachable', `SSH to ${where} failed: ${err.message}`));
    };
    client.once('ready', () => resolve(client));
    client.once('error', fail);
    client.connect({
      host: target.host,
      port: target.port,
      username: target.user,
      privateKey,
      passphrase: auth.passphrase,
      agent,
      readyTimeout: auth.connectTimeoutMs ?? 10_000,
      // Called with the raw host key blob before any credential is sent.
      hostVerifier: (key: Buffer) => {
        const verdict = verifyHostKey(loadKnownHosts(auth.knownHostsFile), target.host, target.port, key);
        if (verdict.status === 'match') return true;
        const fp = fingerprint(key);
        if (verdict.status === 'revoked') {
          hostKeyProblem = `host key ${fp} of ${where} is marked @revoked in ${auth.knownHostsFile} (line ${verdict.entry.line})`;
          return false;
        }
        if (verdict.status === 'changed') {
          const lines = verdict.expected.map((e) => e.line).join(', ');
          hostKeyProblem = `HOST KEY CHANGED for ${where}: got ${fp}, ${auth.knownHostsFile} line ${lines} has another key — refusing (possible man-in-the-middle)`;
          return false;
        }
        if (!auth.trustOnFirstUse) {
          hostKeyProblem = `unknown host key ${fp} for ${where}: not in ${auth.knownHostsFile} — refusing (add it, or pass --trust-on-first-use)`;
          return false;
        }
        const line = appendKnownHost(auth.knownHostsFile, target.host, target.port, key);
        onNote?.(`trusted on first use: appended "${line.slice(0, 60)}…" (${fp}) to ${auth.knownHostsFile}`);
        return true;
      },
    });
  });
}
