/**
 * OpenSSH known_hosts: parsing, verification and trust-on-first-use append.
 * Supports plain and hashed (`|1|salt|hmac`) host fields, `[host]:port` for non-22 ports, comma
 * lists, `*`/`?` wildcards, `!` negation and the `@revoked` marker. `@cert-authority` lines are kept
 * but never match a plain host key (kubepath does not do certificate host keys).
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export interface KnownHostEntry {
  line: number;
  marker?: '@revoked' | '@cert-authority';
  hosts: string;
  keyType: string;
  /** Raw public key blob (SSH wire format). */
  key: Buffer;
}

export type HostKeyVerdict =
  | { status: 'match'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }
  | { status: 'changed'; expected: KnownHostEntry[] }
  | { status: 'unknown' };

/** The name OpenSSH looks up: bare host for port 22, else `[host]:port`. */
export function hostLookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Parses known_hosts text; malformed lines are reported, not fatal (like ssh, which skips them). */
export function parseKnownHosts(text: string): {
  entries: KnownHostEntry[];
  issues: { line: number; raw: string; reason: string }[];
} {
  const entries: KnownHostEntry[] = [];
  const issues: { line: number; raw: string; reason: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      if (fields[0] !== '@revoked' && fields[0] !== '@cert-authority') {
        issues.push({ line: i + 1, raw, reason: `unknown marker ${fields[0]}` });
        return;
      }
      marker = fields.shift() as KnownHostEntry['marker'];
    }
    if (fields.length < 3) {
      issues.push({ line: i + 1, raw, reason: 'expected "hosts keytype base64-key"' });
      return;
    }
    const key = Buffer.from(fields[2], 'base64');
    if (key.length < 8 || keyTypeOf(key) !== fields[1]) {
      issues.push({ line: i + 1, raw, reason: 'key blob is not valid base64 of the stated key type' });
      return;
    }
    entries.push({ line: i + 1, marker, hosts: fields[0], keyType: fields[1], key });
  });
  return { entries, issues };
}

/** First string of an SSH public key blob is its type, e.g. `ssh-ed25519`. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return '';
  const len = blob.readUInt32BE(0);
  return len > 0 && len < 64 && blob.length >= 4 + len ? blob.subarray(4, 4 + len).toString('latin1') : '';
}

function globToRegExp(pattern: string): RegExp {
  const esc = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${esc.replace(/\[/g, '\\[').replace(/\]/g, '\\]')}$`, 'i');
}

/** Does the entry's host field name this host? Hashed fields: HMAC-SHA1(salt, name). */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (globToRegExp(p).test(name)) {
      if (negated) return false; // a negated match vetoes the whole line
      matched = true;
    }
  }
  return matched;
}

/**
 * Verify a presented host key. `changed` means the host is known with a key of the SAME type that
 * differs — the classic MITM warning. A host known only under other key types is `unknown`.
 */
export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = hostLookupName(host, port);
  const forHost = entries.filter((e) => e.marker !== '@cert-authority' && hostFieldMatches(e.hosts, name));
  const revoked = forHost.find((e) => e.marker === '@revoked' && e.key.equals(key));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => !e.marker);
  const match = plain.find((e) => e.key.equals(key));
  if (match) return { status: 'match', entry: match };
  const type = keyTypeOf(key);
  const sameType = plain.filter((e) => e.keyType === type);
  return sameType.length ? { status: 'changed', expected: sameType } : { status: 'unknown' };
}

export function loadKnownHosts(file: string): KnownHostEntry[] {
  return existsSync(file) ? parseKnownHosts(readFileSync(file, 'utf8')).entries : [];
}

/** TOFU: append the key under its lookup name (plain, so the operator can read and audit it). */
export function appendKnownHost(file: string, host: string, port: number, key: Buffer): string {
  const line = `${hostLookupName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}`;
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  appendFileSync(file, `${existing && !existing.endsWith('\n') ? '\n' : ''}${line}\n`, { mode: 0o600 });
  return line;
}

/** SHA256 fingerprint as OpenSSH prints it (`SHA256:base64-without-padding`). */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
