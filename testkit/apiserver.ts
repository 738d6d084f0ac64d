/**
 * Test support (not shipped): a REAL kube-apiserver v1.20.2 (built by scripts/lab/build-k8s.sh)
 * on loopback, backed by a real etcd, with token auth and RBAC. No kubelet, no controllers: the
 * objects the tests need are created through the API itself.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const K8S_BIN = process.env.KUBEPATH_K8S_BIN ?? '/var/cache/kubepath/k8s-v1.20.2/bin';

export function apiserverUnavailable(): string | null {
  if (!existsSync(path.join(K8S_BIN, 'kube-apiserver')))
    return `no kube-apiserver in ${K8S_BIN}: run bash scripts/lab/build-k8s.sh`;
  try {
    execFileSync('which', ['etcd', 'openssl'], { stdio: 'ignore' });
  } catch {
    return 'etcd or openssl missing (apt-get install etcd-server openssl)';
  }
  return null;
}

export interface TestApiserver {
  dir: string;
  server: string;
  /** kubeconfig files per user: admin (system:masters), viewer (RBAC decides), nobody (no rights). */
  kubeconfigs: { admin: string; viewer: string; nobody: string };
  adminToken: string;
  stop(): Promise<void>;
}

/** A loopback port chosen by the kernel (also used by the e2e console servers). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function kubeconfig(server: string, ca: string, user: string, token: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: kp-test
  cluster: { server: "${server}", certificate-authority: "${ca}" }
users:
- name: ${user}
  user: { token: "${token}" }
contexts:
- name: ${user}@kp-test
  context: { cluster: kp-test, user: ${user} }
current-context: ${user}@kp-test
`;
}

export async function startTestApiserver(): Promise<TestApiserver> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kp-apiserver-'));
  const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
  const procs: ChildProcess[] = [];
  const stop = async () => {
    for (const p of procs.reverse()) {
      if (p.exitCode === null) {
        const gone = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
        if (p.exitCode === null) p.kill('SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    procs.push(
      spawn(
        'etcd',
        [
          '--name',
          'kp',
          '--data-dir',
          `${dir}/etcd`,
          '--listen-client-urls',
          etcdUrl,
          '--advertise-client-urls',
          etcdUrl,
          '--listen-peer-urls',
          `http://127.0.0.1:${etcdPeer}`,
          '--initial-advertise-peer-urls',
          `http://127.0.0.1:${etcdPeer}`,
          '--initial-cluster',
          `kp=http://127.0.0.1:${etcdPeer}`,
        ],
        { stdio: 'ignore' },
      ),
    );
    execFileSync('openssl', ['genrsa', '-out', `${dir}/sa.key`, '2048'], { stdio: 'ignore' });
    execFileSync('openssl', ['rsa', '-in', `${dir}/sa.key`, '-pubout', '-out', `${dir}/sa.pub`], { stdio: 'ignore' });
    const adminToken = `admin-${Math.random().toString(36).slice(2)}`;
    writeFileSync(
      `${dir}/tokens.csv`,
      `${adminToken},admin,admin-uid,"system:masters"\nviewer-token,viewer,viewer-uid\nnobody-token,nobody,nobody-uid\n`,
    );
    procs.push(
      spawn(
        path.join(K8S_BIN, 'kube-apiserver'),
        [
          '--etcd-servers',
          etcdUrl,
          '--bind-address=127.0.0.1',
          '--advertise-address=192.0.2.10',
          `--secure-port=${securePort}`,
          `--cert-dir=${dir}/certs`,
          '--service-cluster-ip-range=10.96.0.0/12',
          '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
          `--service-account-key-file=${dir}/sa.pub`,
          `--service-account-signing-key-file=${dir}/sa.key`,
          `--token-auth-file=${dir}/tokens.csv`,
          '--authorization-mode=RBAC',
          '--allow-privileged=true',
          '--enable-admission-plugins=NamespaceLifecycle',
          '--disable-admission-plugins=ServiceAccount',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      ),
    );
    const server = `https://127.0.0.1:${securePort}`;
    const ca = `${dir}/certs/apiserver.crt`;
    const kubeconfigs = {
      admin: `${dir}/admin.kubeconfig`,
      viewer: `${dir}/viewer.kubeconfig`,
      nobody: `${dir}/nobody.kubeconfig`,
    };
    writeFileSync(kubeconfigs.admin, kubeconfig(server, ca, 'admin', adminToken));
    writeFileSync(kubeconfigs.viewer, kubeconfig(server, ca, 'viewer', 'viewer-token'));
    writeFileSync(kubeconfigs.nobody, kubeconfig(server, ca, 'nobody', 'nobody-token'));
    for (let i = 0; ; i++) {
      if (procs.some((p) => p.exitCode !== null)) throw new Error('etcd or kube-apiserver exited during startup');
      try {
        const out = execFileSync('curl', ['-sk', '-H', `Authorization: Bearer ${adminToken}`, `${server}/readyz`], {
          timeout: 3000,
        }).toString();
        if (out.trim() === 'ok') break;
      } catch {
        /* not yet */
      }
      if (i > 240) throw new Error('kube-apiserver not ready after 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    return { dir, server, kubeconfigs, adminToken, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
