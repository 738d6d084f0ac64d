/**
 * The per-node form (one node's dumps, no API): the same verdicts over a one-node path, Services
 * read from kube-proxy's own comments, and nothing claimed about pods or other nodes.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { traceInputsFromTexts } from '@/lib/snapshot/to-trace-inputs';
import { tracePacket } from '@/lib/trace/trace-packet';
import { answerNodeTrace } from './answer-trace';

const demo = JSON.parse(readFileSync('demo/demo-snapshot.json', 'utf8')) as ClusterSnapshot;
const node2 = demo.nodes.find((n) => n.name === 'node-2')!;
const dumps = (withRoutes: boolean) => {
  const r = traceInputsFromTexts({
    iptables: node2.captures['iptables-save']!.stdout,
    ipAddr: node2.captures['ip-addr']!.stdout,
    ipRoute: withRoutes ? node2.captures['ip-route']!.stdout : undefined,
  });
  r.inputs.node = 'node-2';
  return r.inputs;
};
const answer = (dst: string, port: number, withRoutes = true) => {
  const inputs = dumps(withRoutes);
  return answerNodeTrace(inputs, tracePacket(inputs, { src: '10.244.2.4', dst, port, proto: 'tcp' }));
};

describe('answerNodeTrace (per-node dumps)', () => {
  it('the host firewall drop is named exactly as with a snapshot, without pod names (no API)', () => {
    const r = answer('10.96.0.110', 9090);
    expect(r.outcomes[0].sentence).toBe(
      "✗ dropped on node-2 at filter FORWARD line 21 (host firewall 'block api metrics', not kube-proxy) after DNAT to 10.244.2.3:9090; the client times out",
    );
    expect(r.outcomes[0].detail?.pod).toBeUndefined();
    expect(r.path.map((h) => h.node)).toEqual(['node-2']);
  });

  it('a DNAT that leaves the node says the rest of the path was not given, never more', () => {
    const r = answer('10.96.0.100', 80);
    const away = r.outcomes.find((o) => o.to === '10.244.1.2:8080')!;
    expect(away.answer).toBe('delivered');
    expect(away.sentence).toMatch(
      /^✓ leaves node-2 via eth0 to 172\.25\.70\.11 for 10\.244\.1\.2:8080 after DNAT on node-2 \(default\/web:http\); only this node's captures were given/,
    );
    expect(away.detail?.nodes).toEqual(['node-2']);
  });

  it('Services come from kube-proxy comments: an unexposed port and the mark-drop are non-answers', () => {
    expect(answer('10.96.0.100', 81).outcomes.map((o) => o.detail?.reason)).toEqual(['unexposed-port']);
    const inputs = dumps(true);
    const lb = answerNodeTrace(
      inputs,
      tracePacket(inputs, { src: '203.0.113.9', dst: '198.51.100.11', port: 80, proto: 'tcp' }),
    );
    expect(lb.outcomes.map((o) => [o.answer, o.detail?.reason])).toEqual([['unanswered', 'mark-drop-unenforced']]);
  });

  it('without ip route the walk does not invent "no route"', () => {
    const r = answer('10.96.0.100', 80, false);
    for (const o of r.outcomes) expect(o.detail?.reason).not.toBe('no-route');
  });
});
