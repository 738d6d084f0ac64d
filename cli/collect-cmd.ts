/**
 * `kubepath collect`: reads the Kubernetes API (when a kubeconfig is given or found) and collects
 * nodes over SSH and/or the pod agent into one snapshot file. Progress per node goes to stderr.
 * Exit 0: every node collected; 3: snapshot written but some node failed; 1/2: nothing written.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { ApiObjects } from '@/lib/model/k8s';
import type { NodeCapture } from '@/lib/model/snapshot';
import { collectOverSsh, type ProgressEvent } from '@/agents/collect-ssh';
import { parseSshTarget } from '@/agents/ssh/ssh-target';
import { collectViaPodAgent } from '@/agents/pod/driver';
import { podIpsByNode as byNode } from '@/agents/collect-pods';
import { loadKubeConfig, type LoadedKubeConfig } from '@/lib/k8s/client';
import { listApiObjects } from '@/lib/k8s/list';
import { buildSnapshot } from '@/lib/snapshot/build';
import { computeDrift } from '@/lib/snapshot/drift';
import { saveSnapshot } from '@/lib/snapshot/io';
import { parseArgs, required, UsageError } from './args';

const HELP = `usage: kubepath collect [--ssh user@host[:port] ...] [--identity FILE] [--known-hosts FILE]
                        [--kubeconfig FILE] [--context NAME] [--in-cluster] [--pod-agent] --out FILE

  --ssh user@host[:port]   a node to collect over SSH (repeatable)
  --identity FILE          private key (default: SSH agent via $SSH_AUTH_SOCK)
  --known-hosts FILE       OpenSSH known_hosts (default ~/.ssh/known_hosts); unknown/changed keys are refused
  --trust-on-first-use     accept and append UNKNOWN host keys (changed keys are still refused)
  --sudo                   run node commands with sudo -n
  --cni-dir DIR            CNI config directory on the nodes (default /etc/cni/net.d)
  --timeout SECONDS        per-command timeout (default 20)
  --max-output BYTES       per-command output cap (default 67108864)
  --concurrency N          nodes collected at once (default 8)
  --kubeconfig FILE        read the API with this kubeconfig ($KUBECONFIG / ~/.kube/config are used if present)
  --context NAME           kubeconfig context
  --in-cluster             use the pod's service account
  --no-api                 do not read the Kubernetes API
  --pod-agent              collect every API node with a short-lived privileged pod (needs the API)
  --agent-image IMAGE      pod agent image (agents/pod/Dockerfile; default kubepath-agent:0.1.0)
  --description TEXT       free text stored in the snapshot
  --out FILE               where to write the snapshot JSON (required)

exit: 0 all nodes collected, 3 snapshot written but some node failed, 1 error, 2 usage`;

function progressLine(e: ProgressEvent): string | undefined {
  switch (e.phase) {
    case 'connecting':
      return `${e.node}: connecting`;
    case 'collecting':
      return `${e.node}: collecting`;
    case 'command':
      return e.error && e.error !== 'IPVS not available' && !e.kind.startsWith('pod')
        ? `${e.node}: ${e.kind}: ${e.error}`
        : undefined;
    case 'note':
      return `${e.node}: ${e.message}`;
    case 'done':
      return e.ok
        ? `${e.node}: done${e.warnings ? ` (${e.warnings} warning${e.warnings > 1 ? 's' : ''})` : ''}`
        : `${e.node}: FAILED: ${e.error}`;
  }
}

function numOf(a: ReturnType<typeof parseArgs>, name: string, dflt: number): number {
  const v = a.values[name];
  if (v === undefined) return dflt;
  if (!/^[0-9]+$/.test(v) || Number(v) <= 0) throw new UsageError(`--${name} must be a positive integer`);
  return Number(v);
}

function wantsApi(a: ReturnType<typeof parseArgs>): boolean {
  if (a.flags['no-api']) return false;
  if (a.values.kubeconfig || a.values.context || a.flags['in-cluster'] || a.flags['pod-agent']) return true;
  return !!process.env.KUBECONFIG || existsSync(path.join(homedir(), '.kube', 'config'));
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  let a: ReturnType<typeof parseArgs>;
  try {
    a = parseArgs(argv, {
      values: [
        'identity',
        'known-hosts',
        'kubeconfig',
        'context',
        'out',
        'cni-dir',
        'timeout',
        'max-output',
        'concurrency',
        'agent-image',
        'description',
      ],
      booleans: ['pod-agent', 'trust-on-first-use', 'sudo', 'in-cluster', 'no-api'],
      repeated: ['ssh'],
    });
    if (a.positionals.length) throw new UsageError(`unexpected argument ${a.positionals[0]}`);
    required(a, 'out');
    for (const n of ['timeout', 'max-output', 'concurrency']) numOf(a, n, 1);
    (a.lists.ssh ?? []).forEach(parseSshTarget);
    if (!a.lists.ssh?.length && !a.flags['pod-agent'] && !wantsApi(a))
      throw new UsageError('nothing to collect: give --ssh targets, --pod-agent, or a kubeconfig');
  } catch (err) {
    if (err instanceof UsageError || /^invalid SSH (target|port)/.test(String((err as Error)?.message))) {
      process.stderr.write(`kubepath collect: ${(err as Error).message}\n${HELP}\n`);
      return 2;
    }
    throw err;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const onProgress = (e: ProgressEvent) => {
    const line = progressLine(e);
    if (line) log(line);
  };
  const num = (name: string, dflt: number) => numOf(a, name, dflt);
  const targets = (a.lists.ssh ?? []).map(parseSshTarget);

  let loaded: LoadedKubeConfig | undefined;
  let api: ApiObjects | undefined;
  if (wantsApi(a)) {
    loaded = loadKubeConfig({
      kubeconfig: a.values.kubeconfig,
      context: a.values.context,
      inCluster: a.flags['in-cluster'],
    });
    log(`api: reading ${loaded.cluster.server ?? loaded.cluster.name}`);
    api = await listApiObjects(loaded.kc);
    log(
      `api: ${api.services.length} services, ${api.endpointSlices.length} endpointslices, ${api.pods.length} pods, ${api.nodes.length} nodes`,
    );
    for (const n of api.notes) log(`api: partial view: ${n.resource}: ${n.reason}`);
  }

  const nodes: NodeCapture[] = [];
  const limits = { timeoutMs: num('timeout', 20) * 1000, maxBytes: num('max-output', 64 * 1024 * 1024) };
  if (targets.length) {
    nodes.push(
      ...(await collectOverSsh({
        targets,
        auth: {
          identityFile: a.values.identity,
          knownHostsFile: a.values['known-hosts'] ?? path.join(homedir(), '.ssh', 'known_hosts'),
          trustOnFirstUse: a.flags['trust-on-first-use'],
        },
        concurrency: num('concurrency', 8),
        node: {
          sudo: a.flags.sudo,
          cniDir: a.values['cni-dir'],
          limits,
          podIps: api?.pods.filter((p) => !p.hostNetwork).flatMap((p) => p.podIPs),
          podIpsByNode: api ? byNode(api.pods) : undefined,
        },
        onProgress,
      })),
    );
  }
  if (a.flags['pod-agent']) {
    if (!loaded || !api) throw new UsageError('--pod-agent needs the Kubernetes API');
    const names = api.nodes.map((n) => n.name).filter((n) => !nodes.some((c) => c.name === n));
    nodes.push(
      ...(await collectViaPodAgent(loaded.kc, {
        nodes: names,
        image: a.values['agent-image'],
        concurrency: num('concurrency', 8),
        onProgress,
      })),
    );
  }

  const snap = buildSnapshot({
    cluster: loaded?.cluster ?? { name: targets.map((t) => t.host).join(',') || 'unknown' },
    nodes,
    api,
    description: a.values.description,
  });
  saveSnapshot(a.values.out!, snap);
  const failed = snap.nodes.filter((n) => n.error);
  log(
    `wrote ${a.values.out}: ${snap.nodes.length - failed.length}/${snap.nodes.length} nodes collected${api ? ', API objects included' : ''}`,
  );
  if (api) {
    const drift = computeDrift(snap).findings.filter((f) => f.kind !== 'not-checked');
    for (const f of drift.slice(0, 20)) log(`drift: ${f.node}: ${f.message}`);
    if (drift.length > 20) log(`drift: … ${drift.length - 20} more`);
  }
  return failed.length ? 3 : 0;
}
