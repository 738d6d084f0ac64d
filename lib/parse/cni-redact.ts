/**
 * Secret redaction for CNI plugin settings. CNI configs routinely carry credentials: Calico's
 * etcd mode can inline `etcd_key` / `etcd_cert` PEM data, some plugins embed a kubeconfig or a
 * service-account token. References to files (`etcd_key_file`, `kubeconfig: /etc/cni/...`) are
 * not secrets and stay readable, since they are what an operator needs when debugging.
 */
import { REDACTED, redactText } from '@/lib/redact/redact';

/** Keys whose values are secrets unless they are a file path. */
const SECRET_KEY =
  /(^|_|-)(token|password|passwd|secret|apikey|api_key|key|cert|certificate|ca|key_?data|cert_?data|private_?key|auth|credentials?)$/i;
const FILE_KEY = /(_|-)?(file|path|dir)$/i;

function looksLikePath(v: string): boolean {
  return /^\/[^\s]*$/.test(v) && !v.includes('\n');
}

/**
 * Deep copy of `value` with secrets replaced by "[redacted]". Returns the dotted paths that were
 * redacted so the caller can report them (never the values).
 */
export function redactCniSettings(
  value: unknown,
  path = '',
  hits: string[] = [],
): { value: unknown; redacted: string[] } {
  const walk = (v: unknown, p: string): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${p}[${i}]`));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const kp = p ? `${p}.${k}` : k;
        const secretKey = SECRET_KEY.test(k) && !FILE_KEY.test(k);
        if (secretKey && typeof x === 'string' && x !== '' && !looksLikePath(x)) {
          out[k] = REDACTED;
          hits.push(kp);
        } else if (secretKey && x && typeof x === 'object') {
          out[k] = REDACTED; // an object under a secret key (e.g. "auth": {...}) is redacted whole
          hits.push(kp);
        } else {
          out[k] = walk(x, kp);
        }
      }
      return out;
    }
    if (typeof v === 'string') {
      // Secrets under innocent keys: inline kubeconfigs, JWTs, PEM blocks, URL credentials.
      const r = redactText(v);
      if (r !== v) hits.push(p);
      return r;
    }
    return v;
  };
  return { value: walk(value, path), redacted: hits };
}
