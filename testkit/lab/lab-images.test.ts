/**
 * The kubelet lab's small parts, run for real: the OCI archive writer (digests and sizes that a
 * runtime checks on import) and the fixed-address CNI IPAM plugin (with Debian's host-local as fallback).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const LAB = path.resolve(__dirname, '../../scripts/lab');
const dir = mkdtempSync(path.join(tmpdir(), 'kp-lab-images-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('oci-archive.sh', () => {
  it('writes an OCI layout whose index, manifest, config and layer digests and sizes are consistent', () => {
    const root = path.join(dir, 'root');
    mkdirSync(path.join(root, 'bin'), { recursive: true });
    writeFileSync(path.join(root, 'bin', 'hello'), 'hi\n');
    const out = path.join(dir, 'img.tar');
    execFileSync('bash', [
      path.join(LAB, 'images/oci-archive.sh'),
      root,
      'kubepath.local/t:1',
      out,
      '--entrypoint',
      '["/bin/hello"]',
    ]);
    const x = path.join(dir, 'x');
    mkdirSync(x);
    execFileSync('tar', ['-xf', out, '-C', x]);
    const blob = (d: string) => readFileSync(path.join(x, 'blobs/sha256', d.replace('sha256:', '')));
    const index = JSON.parse(readFileSync(path.join(x, 'index.json'), 'utf8'));
    expect(JSON.parse(readFileSync(path.join(x, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const m = index.manifests[0];
    expect(m.annotations['org.opencontainers.image.ref.name']).toBe('kubepath.local/t:1');
    for (const d of [
      m,
      ...(() => {
        const man = JSON.parse(blob(m.digest).toString());
        return [man.config, ...man.layers];
      })(),
    ]) {
      expect(`sha256:${sha(blob(d.digest))}`).toBe(d.digest);
      expect(blob(d.digest).length).toBe(d.size);
    }
    const manifest = JSON.parse(blob(m.digest).toString());
    const config = JSON.parse(blob(manifest.config.digest).toString());
    expect(config.config.Entrypoint).toEqual(['/bin/hello']);
    // diff_id is the digest of the UNcompressed layer, which is what the runtime verifies after unpacking.
    const layer = execFileSync('gzip', ['-dc'], { input: blob(manifest.layers[0].digest) });
    expect(config.rootfs.diff_ids).toEqual([`sha256:${sha(layer)}`]);
    // Reproducible: the same tree gives the same manifest digest.
    const again = path.join(dir, 'again.tar');
    execFileSync('bash', [
      path.join(LAB, 'images/oci-archive.sh'),
      root,
      'kubepath.local/t:1',
      again,
      '--entrypoint',
      '["/bin/hello"]',
    ]);
    expect(sha(readFileSync(again))).toBe(sha(readFileSync(out)));
  });

  it('refuses a missing root filesystem with usage exit 2', () => {
    const r = spawnSync('bash', [
      path.join(LAB, 'images/oci-archive.sh'),
      path.join(dir, 'nope'),
      'x:1',
      path.join(dir, 'n.tar'),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr.toString()).toMatch(/is not a directory/);
  });
});

const hostLocal = '/usr/lib/cni/host-local';
describe('kubepath-lab-ipam', () => {
  const plugin = path.join(LAB, 'cni/kubepath-lab-ipam');
  const log = path.join(dir, 'netns.list');
  const conf = (fallback: boolean) =>
    JSON.stringify({
      cniVersion: '0.4.0',
      name: 'lab',
      ipam: {
        type: 'kubepath-lab-ipam',
        gateway: '10.244.1.1',
        netnsLog: log,
        addresses: { 'default/web-1': '10.244.1.2/24' },
        ...(fallback
          ? {
              fallback: {
                type: 'host-local',
                dataDir: path.join(dir, 'ipam'),
                ranges: [[{ subnet: '10.244.1.0/24', rangeStart: '10.244.1.200', gateway: '10.244.1.1' }]],
              },
            }
          : {}),
      },
    });
  const call = (cmd: string, pod: string, fallback = true) =>
    spawnSync(plugin, [], {
      input: conf(fallback),
      env: {
        ...process.env,
        CNI_COMMAND: cmd,
        CNI_CONTAINERID: 'c1',
        CNI_NETNS: '/var/run/netns/cni-test',
        CNI_IFNAME: 'eth0',
        CNI_PATH: '/usr/lib/cni',
        CNI_ARGS: `IgnoreUnknown=1;K8S_POD_NAMESPACE=${pod.split('/')[0]};K8S_POD_NAME=${pod.split('/')[1]}`,
      },
    });

  it('gives a scenario pod its fixed address with the gateway, and records the netns', () => {
    const r = call('ADD', 'default/web-1');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toMatchObject({
      ips: [{ version: '4', address: '10.244.1.2/24', gateway: '10.244.1.1' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.244.1.1' }],
    });
    expect(readFileSync(log, 'utf8')).toContain('/var/run/netns/cni-test');
    expect(call('DEL', 'default/web-1').status).toBe(0);
  });

  it('an unknown pod with no fallback is a CNI error, not an address', () => {
    const r = call('ADD', 'default/other', false);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout.toString())).toMatchObject({
      code: 11,
      msg: expect.stringContaining('no address for default/other'),
    });
  });

  it.skipIf(!existsSync(hostLocal))('an unknown pod gets an address from the real host-local plugin', () => {
    const r = call('ADD', 'default/other');
    expect(r.status, r.stderr.toString()).toBe(0);
    expect(JSON.parse(r.stdout.toString()).ips[0].address).toBe('10.244.1.200/24');
  });
});
