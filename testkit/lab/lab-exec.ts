/**
 * Helpers for driving a running lab from tests and scripts: run commands in node or pod namespaces,
 * talk to the apiserver, wait for kube-proxy to reprogram a node, delete a pod the way kubelet would.
 */
import { execFile } from 'node:child_process';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { LabInfo, LabPod } from '@/testkit/lab/lab-info';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit code; 124 when the command was killed by the timeout. */
  code: number;
}

/** Runs argv (no shell) and never rejects on a non-zero exit: callers assert on `code`. */
export function run(argv: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      argv[0],
      argv.slice(1),
      { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number' && !err.killed) return reject(err); // e.g. ENOENT
        resolve({ stdout, stderr, code: err ? (err.killed ? 124 : (err.code as number)) : 0 });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs a command inside a network namespace (a lab node's, usually). A string runs under `sh -c`. */
export function execIn(netns: string, cmd: string | string[], opts: { timeoutMs?: number } = {}): Promise<ExecResult> {
  const argv = typeof cmd === 'string' ? ['sh', '-c', cmd] : cmd;
  return run(['ip', 'netns', 'exec', netns, ...argv], opts);
}

/** Finds a lab pod by "ns/name" or bare name (default namespace first). */
export function findPod(info: LabInfo, ref: string): LabPod {
  const [ns, name] = ref.includes('/') ? ref.split('/', 2) : ['default', ref];
  const pod = info.pods.find((p) => p.ns === ns && p.name === name);
  if (!pod) throw new Error(`no lab pod ${ns}/${name}; pods: ${info.pods.map((p) => `${p.ns}/${p.name}`).join(', ')}`);
  return pod;
}

/**
 * Runs a command as the pod's container would: in its network, mount and UTS namespaces
 * (`nsenter -t <pid> -n -m -u`), so the pod's own /etc/resolv.conf and hostname apply; glibc tools
 * such as getent then resolve exactly as in the pod.
 */
export function execInPod(
  info: LabInfo,
  pod: string | LabPod,
  cmd: string | string[],
  opts: { timeoutMs?: number } = {},
): Promise<ExecResult> {
  const p = typeof pod === 'string' ? findPod(info, pod) : pod;
  const argv = typeof cmd === 'string' ? ['sh', '-c', cmd] : cmd;
  return run(['nsenter', '-t', String(p.pid), '-n', '-m', '-u', ...argv], opts);
}

/** Runs Debian's kubectl (1.32; it warns about skew with the 1.20 apiserver, harmlessly) against the lab. */
export function kubectl(
  info: LabInfo,
  args: string[],
  opts: { timeoutMs?: number; input?: string } = {},
): Promise<ExecResult> {
  return run(['kubectl', '--kubeconfig', info.kubeconfig, ...args], opts);
}

/** One HTTPS request to the lab's apiserver as the admin (token auth, the lab's CA). JSON in and out. */
export function apiRequest<T = unknown>(
  info: LabInfo,
  method: string,
  apiPath: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: T }> {
  // An explicit content-length: without it Node sends the body chunked, and the apiserver ignored a
  // chunked DELETE body (the pod got the default 30 s grace instead of 0) and then answered the next
  // request on that keep-alive connection with a bare 400.
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${info.apiserverURL}${apiPath}`,
      {
        method,
        ca: readFileSync(info.caFile),
        headers: {
          authorization: `Bearer ${info.adminToken}`,
          ...(text === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(text) }),
        },
      },
      (res) => {
        let reply = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (reply += c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: (reply ? JSON.parse(reply) : null) as T });
          } catch {
            reject(new Error(`${method} ${apiPath}: ${res.statusCode} non-JSON reply: ${reply.slice(0, 200)}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/**
 * Polls `iptables-save` in a node's netns until `predicate` accepts it (kube-proxy has reprogrammed
 * the node); resolves with the accepted text. No fixed sleep: polls every `intervalMs` (default 100).
 */
export async function waitForRules(
  info: LabInfo,
  node: string,
  predicate: (iptablesSave: string) => boolean,
  opts: { timeoutMs?: number; intervalMs?: number; table?: 'nat' | 'filter' } = {},
): Promise<string> {
  const n = info.nodes.find((x) => x.name === node);
  if (!n) throw new Error(`no lab node ${node}`);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last = '';
  for (;;) {
    const r = await execIn(n.netns, ['iptables-save', ...(opts.table ? ['-t', opts.table] : [])]);
    last = r.stdout;
    if (r.code === 0 && predicate(last)) return last;
    if (Date.now() > deadline)
      throw new Error(
        `waitForRules(${node}): predicate still false after ${opts.timeoutMs ?? 30_000} ms; last iptables-save:\n${last}`,
      );
    await new Promise((r2) => setTimeout(r2, opts.intervalMs ?? 100));
  }
}

/**
 * Deletes a pod as kubelet + CNI would: the Pod object through the API (grace period 0), then its
 * process and its network namespace (which takes the host-side veth and /32 route with it).
 * The real endpoint controllers and kube-proxy then drop it from the rules.
 */
export async function deletePod(info: LabInfo, ref: string): Promise<void> {
  const pod = findPod(info, ref);
  const res = await apiRequest(info, 'DELETE', `/api/v1/namespaces/${pod.ns}/pods/${pod.name}`, {
    gracePeriodSeconds: 0,
  });
  if (res.status !== 200 && res.status !== 404)
    throw new Error(`delete pod ${ref}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  try {
    process.kill(pod.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  await run(['ip', 'netns', 'del', pod.netns]);
}
