import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { handleTrace } from './trace-handler';
import type { TraceResponse } from '../../wire/trace';
import type { AppError } from '../../errors';

// The handler runs on the provisional demo snapshot: real iptables-save -c / ip -j captures.
beforeAll(() => {
  process.env.KUBEPATH_SNAPSHOT = path.resolve(import.meta.dirname, '../../../demo/provisional-snapshot.json');
});

const call = (q: string) => handleTrace(new URLSearchParams(q));
const err = (q: string) => (call(q).body as { error: AppError }).error;

describe('GET /api/trace handler', () => {
  it.each([
    {
      name: 'dst not an IP → 400 naming the field',
      q: 'node=node-a&src=10.0.0.1&dst=banana&port=80',
      status: 400,
      text: /dst: not an IP address/,
    },
    {
      name: 'port out of range → 400',
      q: 'node=node-a&src=10.0.0.1&dst=10.96.10.10&port=0',
      status: 400,
      text: /port: port must be 1-65535/,
    },
    {
      name: 'port not a number → 400',
      q: 'node=node-a&src=10.0.0.1&dst=10.96.10.10&port=http',
      status: 400,
      text: /port/,
    },
    {
      name: 'unknown proto → 400',
      q: 'node=node-a&src=10.0.0.1&dst=10.96.10.10&port=80&proto=icmp',
      status: 400,
      text: /proto must be tcp, udp or sctp/,
    },
    {
      name: 'source garbage → 400',
      q: 'node=node-a&src=<script>&dst=10.96.10.10&port=80',
      status: 400,
      text: /source must be/,
    },
    {
      name: 'an outside source to an address no node answers needs a node → 400',
      q: 'src=10.0.0.1&dst=10.0.9.9&port=80',
      status: 400,
      text: /no node answers 10\.0\.9\.9 .*pick the node it arrives on/,
    },
    {
      name: 'unknown node → 404',
      q: 'node=node-z&src=10.0.0.1&dst=10.96.10.10&port=80',
      status: 404,
      text: /unknown node "node-z"/,
    },
    {
      name: 'unknown pod → 404',
      q: 'src=pod:default/ghost&dst=10.96.10.10&port=80',
      status: 404,
      text: /unknown pod "default\/ghost"/,
    },
    {
      name: 'uncollected node → 502 with the collection error',
      q: 'node=node-c&src=10.0.0.1&dst=10.96.10.10&port=80',
      status: 502,
      text: /node-c was not collected \(unreachable\): ssh/,
    },
  ])('$name', ({ q, status, text }) => {
    expect(call(q).status).toBe(status);
    expect(err(q).message).toMatch(text);
  });

  it('resolves a pod source to its IP and node, and names the pods the outcomes reach', () => {
    const r = call('src=pod:default/web-7d4b9c-x2x4q&dst=10.96.10.10&port=80');
    expect(r.status).toBe(200);
    const body = r.body as TraceResponse;
    expect(body.question).toMatchObject({
      node: 'node-a',
      sourceKind: 'pod',
      packet: { src: '10.244.1.10', dst: '10.96.10.10', port: 80, proto: 'tcp' },
    });
    const outcomes = body.traces[0].result!.outcomes;
    expect(outcomes.map((o) => o.to).sort()).toEqual(['10.244.1.10:8080', '10.244.1.11:8080', '10.244.2.10:8080']);
    expect(outcomes.reduce((a, o) => a + o.probability, 0)).toBeCloseTo(1);
    expect(body.pods['10.244.2.10']).toEqual({ namespace: 'default', name: 'web-7d4b9c-p9m2d', node: 'node-b' });
  });

  it('traces the compare node too, and reports an uncollected compare node as an error entry (not a blank result)', () => {
    const r = call('node=node-a&src=198.51.100.7&dst=203.0.113.10&port=443&compare=node-c');
    expect(r.status).toBe(200);
    const body = r.body as TraceResponse;
    expect(body.traces.map((t) => t.node)).toEqual(['node-a', 'node-c']);
    expect(body.traces[1].result).toBeUndefined();
    expect(body.traces[1].error?.kind).toBe('unreachable');
  });
});
