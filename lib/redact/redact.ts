/**
 * Secret redaction for everything kubepath shows or exports. Node captures routinely carry secrets
 * by accident: CNI kubeconfigs with service-account tokens (seed 003 is a real one), PEM keys,
 * kube-proxy command lines with --token, basic-auth URLs. The rule is: redact on the way out, in
 * one place, and keep the surrounding text so the context stays readable.
 */

export const REDACTED = '[redacted]';

/** Keys whose values are secrets in YAML, JSON, INI or flag form. */
const SECRET_KEYS = [
  'token',
  'id-token',
  'refresh-token',
  'access-token',
  'access_token',
  'bearer-token',
  'bearer_token',
  'client-key-data',
  'client-certificate-data',
  'certificate-authority-data',
  'client-key',
  'client-secret',
  'password',
  'passwd',
  'secret',
  'api-key',
  'api_key',
  'apikey',
  'private-key',
  'private_key',
  'etcd_key',
  'etcd_cert',
  'etcd_ca',
  'etcd-key',
  'etcd-cert',
  'etcd-ca',
  'auth',
  'authorization',
  'tls.key',
  'tls.crt',
  'ca.crt',
  'key-data',
];

const keyAlternation = SECRET_KEYS.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

interface Pattern {
  re: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const PATTERNS: Pattern[] = [
  // PEM blocks (keys and certificates), possibly with escaped newlines inside JSON strings.
  {
    re: /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g,
    replace: (_m, kind) => `-----BEGIN ${kind}----- ${REDACTED} -----END ${kind}-----`,
  },
  // base64 of "-----BEGIN" (kubeconfig *-data fields outside a recognised key).
  { re: /LS0tLS1CRUdJTi[A-Za-z0-9+/=]{16,}/g, replace: () => REDACTED },
  // JSON Web Tokens (service-account tokens, OIDC id tokens).
  { re: /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: () => REDACTED },
  // Authorization headers.
  { re: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, replace: (_m, scheme) => `${scheme} ${REDACTED}` },
  // Credentials in URLs: scheme://user:password@host
  { re: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+):[^\s@/"']+@/gi, replace: (_m, head) => `${head}:${REDACTED}@` },
  // --token=abc, --password abc (command lines)
  {
    re: new RegExp(`(--(?:${keyAlternation}))(=|\\s+)(?!\\[redacted\\])("[^"]*"|'[^']*'|[^\\s"']+)`, 'gi'),
    replace: (_m, flag, sep) => `${flag}${sep}${REDACTED}`,
  },
  // key: value / "key": "value" / key=value (YAML, JSON, INI)
  {
    re: new RegExp(
      `((?:^|[\\s{,])["']?(?:${keyAlternation})["']?\\s*[:=]\\s*)(?!\\[redacted\\])("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s,}"']+)`,
      'gim',
    ),
    replace: (_m, head, value) => {
      const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
      // An empty value or a file path reference is not a secret; keep it (it helps debugging).
      const inner = quote ? value.slice(1, -1) : value;
      if (inner === '' || inner.startsWith('/') || inner === 'null' || inner === 'true' || inner === 'false')
        return `${head}${value}`;
      return `${head}${quote}${REDACTED}${quote}`;
    },
  },
];

export interface RedactionRules {
  /** Exact strings to remove wherever they appear (e.g. an internal hostname). */
  literals?: string[];
  /** Extra regular expressions (source strings); each match is replaced. */
  patterns?: string[];
}

/** Redacts secrets from one string. Idempotent. */
export function redactText(text: string, rules: RedactionRules = {}): string {
  let out = text;
  for (const p of PATTERNS) out = out.replace(p.re, p.replace as (...a: string[]) => string);
  for (const lit of rules.literals ?? []) {
    if (lit.length > 0) out = out.split(lit).join(REDACTED);
  }
  for (const src of rules.patterns ?? []) {
    let re: RegExp;
    try {
      re = new RegExp(src, 'g');
    } catch {
      continue; // validated where the rules are entered; an invalid one must not break an export
    }
    out = out.replace(re, REDACTED);
  }
  return out;
}

/** Redacts every string inside a JSON-like value (object keys are kept). Returns a new value. */
export function redactDeep<T>(value: T, rules: RedactionRules = {}): T {
  if (typeof value === 'string') return redactText(value, rules) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, rules)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v, rules);
    return out as T;
  }
  return value;
}

/** Parses a user redaction list: one entry per line, `/regex/` for patterns, anything else literal. */
export function parseRedactionList(text: string): RedactionRules {
  const rules: Required<RedactionRules> = { literals: [], patterns: [] };
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    if (line.length > 2 && line.startsWith('/') && line.endsWith('/')) rules.patterns.push(line.slice(1, -1));
    else rules.literals.push(line);
  }
  return rules;
}
