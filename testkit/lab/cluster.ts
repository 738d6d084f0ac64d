/**
 * TypeScript entry to the real-cluster lab: `startLab()` runs `lab.sh up --detach` and returns its
 * LabInfo; `stopLab()` runs `lab.sh down`. Helpers for tests (kubectl, execIn, waitForRules,
 * deletePod…) live in lab-exec.ts and are re-exported here.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabInfo } from '@/testkit/lab/lab-info';

export type { LabInfo, LabNode, LabPod, LabService, LabDemoCase } from '@/testkit/lab/lab-info';
export { kubectl, apiRequest, execIn, execInPod, waitForRules, deletePod, findPod } from '@/testkit/lab/lab-exec';
export type { ExecResult } from '@/testkit/lab/lab-exec';

// The lab itself is the shell entry point in scripts/lab; this module drives it for tests.
const LAB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/lab');
const LAB_SH = path.join(LAB_DIR, 'lab.sh');
/** Where scripts/lab/build-k8s.sh caches kube-apiserver, kube-controller-manager and kube-proxy. */
export const K8S_BIN_DIR = process.env.KUBEPATH_K8S_BIN ?? '/var/cache/kubepath/k8s-v1.20.2/bin';
const K8S_BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-proxy'];

/** Why the lab could not start; `message` always says what to do about it. */
export class LabError extends Error {
  constructor(
    readonly kind: 'not-root' | 'missing-binaries' | 'startup-failed' | 'teardown-failed',
    message: string,
    readonly output = '',
  ) {
    super(message);
    this.name = 'LabError';
  }
}

export interface StartLabOptions {
  /** Run dir for keys, logs, kubeconfig and lab.json; default a fresh mkdtemp under the OS tmpdir. */
  runDir?: string;
  /** Kill the startup after this long (default 180 s: a cold control plane on 2 busy cores). */
  timeoutMs?: number;
  /** Receives lab.sh's progress lines as they arrive. */
  onLog?: (line: string) => void;
  /**
   * Tear the lab down by itself once this process exits (a watchdog polls the PID every second),
   * so a killed test runner leaves nothing behind. Off by default: scripts may want the lab to outlive them.
   */
  stopWhenProcessExits?: boolean;
  /**
   * Kubelet mode (`lab.sh up --kubelet`): a real kubelet + containerd + runc on every node runs the
   * scenario's pods (and anything a test creates) from locally built images. Slower to start; only
   * for tests that need pods to actually run (the pod agent). Default: the kubelet-less netns lab.
   */
  kubelet?: boolean;
}

/** Reasons the lab cannot run on this machine, or null when it can. Tests use it to skip with a message. */
export function labUnavailableReason(): string | null {
  if (process.getuid?.() !== 0) return 'the lab needs root (network namespaces, iptables inside them)';
  const missing = K8S_BINARIES.filter((b) => !existsSync(path.join(K8S_BIN_DIR, b)));
  if (missing.length > 0) {
    return `missing ${missing.join(', ')} in ${K8S_BIN_DIR}: run \`bash scripts/lab/build-k8s.sh\` (about 5 min, cached)`;
  }
  return null;
}

/** Like labUnavailableReason, for the kubelet mode: also kubelet, pause, containerd, runc and the CNI plugins. */
export function kubeletLabUnavailableReason(): string | null {
  const base = labUnavailableReason();
  if (base) return base;
  const missing = ['kubelet', 'pause'].filter((b) => !existsSync(path.join(K8S_BIN_DIR, b)));
  if (missing.length > 0)
    return `missing ${missing.join(', ')} in ${K8S_BIN_DIR}: run \`bash scripts/lab/build-k8s.sh\` (cached)`;
  const tools = ['/usr/bin/containerd', '/usr/bin/ctr', '/usr/sbin/runc', '/usr/lib/cni/bridge'].filter(
    (f) => !existsSync(f) && !existsSync(f.replace('/usr/sbin/', '/usr/bin/')),
  );
  if (tools.length > 0)
    return `missing ${tools.join(', ')}: run scripts/install-deps.sh (containerd, runc, containernetworking-plugins)`;
  return null;
}

/**
 * Brings a lab up and resolves with its LabInfo once kube-proxy has programmed every node, the
 * cluster DNS answers, every pod server answers and every sshd accepts connections.
 * If `KUBEPATH_LAB_INFO` names a running lab's lab.json, returns that lab instead (`reused: true`).
 * @throws LabError not-root / missing-binaries (with the command to run) / startup-failed (with lab.sh's output).
 */
export async function startLab(opts: StartLabOptions = {}): Promise<LabInfo> {
  const shared = process.env.KUBEPATH_LAB_INFO;
  if (shared && existsSync(shared)) return { ...(JSON.parse(readFileSync(shared, 'utf8')) as LabInfo), reused: true };
  const why = labUnavailableReason();
  if (why) throw new LabError(why.startsWith('the lab needs root') ? 'not-root' : 'missing-binaries', why);
  const runDir = opts.runDir ?? mkdtempSync(path.join(tmpdir(), 'kubepath-lab-'));
  const args = [
    'up',
    '--detach',
    '--run-dir',
    runDir,
    ...(opts.stopWhenProcessExits ? ['--owner-pid', String(process.pid)] : []),
    ...(opts.kubelet ? ['--kubelet'] : []),
  ];
  const { code, output } = await runLabSh(args, opts.timeoutMs ?? 180_000, opts.onLog);
  if (code !== 0) {
    throw new LabError(
      code === 3 ? 'missing-binaries' : 'startup-failed',
      `lab.sh up failed (exit ${code}):\n${tail(output)}`,
      output,
    );
  }
  return JSON.parse(readFileSync(path.join(runDir, 'lab.json'), 'utf8')) as LabInfo;
}

/** Tears the lab down: its processes, its namespaces, its root-netns veth and its run dir. Idempotent. */
export async function stopLab(
  info: Pick<LabInfo, 'runDir'> & { reused?: boolean },
  opts: { keepRunDir?: boolean } = {},
): Promise<void> {
  if (info.reused) return;
  const args = ['down', '--run-dir', info.runDir, ...(opts.keepRunDir ? ['--keep'] : [])];
  const { code, output } = await runLabSh(args, 60_000);
  if (code !== 0) throw new LabError('teardown-failed', `lab.sh down failed (exit ${code}):\n${tail(output)}`, output);
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function runLabSh(
  args: string[],
  timeoutMs: number,
  onLog?: (line: string) => void,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [LAB_SH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (onLog) for (const line of text.split('\n')) if (line) onLog(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    // SIGTERM lets lab.sh's EXIT trap tear down whatever it had started.
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        output: signal ? `${output}\n(killed by ${signal} after ${timeoutMs} ms)` : output,
      });
    });
  });
}
