import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from './build';
import { loadSnapshot, parseSnapshot, saveSnapshot, SnapshotError } from './io';
import { API, capture, nodeA } from '../../testkit/snapshot-fixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'kp-snap-'));

function snapWithPod() {
  const node = nodeA();
  node.pods = [
    {
      pid: 4242,
      netns: 'net:[4026532000]',
      ipAddr: capture(
        'nsenter -t 4242 -n ip -j addr',
        JSON.stringify([{ ifname: 'eth0', addr_info: [{ local: '10.180.0.1' }] }]),
      ),
    },
  ];
  return buildSnapshot({
    cluster: { name: 'lab', server: 'https://127.0.0.1:6443' },
    nodes: [node],
    api: { ...API, kubeProxyConfig: 'mode: ""\n' },
    description: 'test',
  });
}

describe('snapshot save/load', () => {
  it('round-trips, names pod netns after the API pod with that IP', () => {
    const snap = snapWithPod();
    expect(snap.nodes[0].pods![0].pod).toEqual({ namespace: 'ns1', name: 'pod-1' });
    const file = path.join(dir, 'ok.json');
    saveSnapshot(file, snap);
    expect(loadSnapshot(file)).toEqual(snap);
  });

  it('invalid JSON → SnapshotError with the line number and the line', () => {
    const text = JSON.stringify(snapWithPod(), null, 2).split('\n');
    text[5] = text[5] + ' oops';
    const err = (() => {
      try {
        parseSnapshot(text.join('\n'), 'bad.json');
      } catch (e) {
        return e;
      }
    })() as SnapshotError;
    expect(err).toBeInstanceOf(SnapshotError);
    expect(err.where).toMatch(/^line 6 column \d+$/);
    expect(err.message).toContain('oops');
  });

  it('schema violations name the JSON path', () => {
    const snap = snapWithPod() as unknown as { nodes: { captures: Record<string, { exitCode: unknown }> }[] };
    snap.nodes[0].captures['iptables-save'].exitCode = 'zero';
    expect(() => parseSnapshot(JSON.stringify(snap), 's.json')).toThrow(
      /^s\.json: nodes\[0\]\.captures\.iptables-save\.exitCode: /,
    );
  });

  it('an edited capture fails its sha256 check', () => {
    const snap = snapWithPod();
    snap.nodes[0].captures['iptables-save']!.stdout += '-A KUBE-SERVICES -j ACCEPT\n';
    expect(() => parseSnapshot(JSON.stringify(snap), 'e.json')).toThrow(
      /nodes\[0\]\.captures\["iptables-save"\]: sha256 mismatch/,
    );
  });

  it('an unsupported schema version and a missing file are clear errors', () => {
    expect(() => parseSnapshot(JSON.stringify({ ...snapWithPod(), schema: 'kubepath.snapshot/v9' }))).toThrow(
      /unsupported snapshot schema "kubepath.snapshot\/v9"/,
    );
    expect(() => loadSnapshot(path.join(dir, 'nope.json'))).toThrow(/nope\.json: file: cannot read it \(ENOENT/);
  });

  it('saves atomically with mode 0600 and a trailing newline', () => {
    const file = path.join(dir, 'mode.json');
    saveSnapshot(file, snapWithPod());
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
