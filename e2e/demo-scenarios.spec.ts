/**
 * The served snapshot must hold every question the other specs ask. Those specs call
 * `test.skip(!scenario)` so that they stay readable on a hand-made snapshot; here a missing scenario
 * is a failure, so a demo that lost (say) its no-endpoints Service fails the run instead of quietly
 * shrinking it. (scripts/test-all.sh also fails on any skipped test, counted from Playwright's JSON.)
 */
import { expect, test } from '@playwright/test';
import { cliTrace } from './cli';
import { clusterIp, drift, dropCandidates, fanOut, nodePort, nodeWithPods, reachable, reject } from './scenarios';

test('the served snapshot provides every scenario the e2e specs need', () => {
  const missing = Object.entries({
    'a collected node': reachable.length > 0,
    'a ClusterIP Service with two ready endpoints (clusterIp)': !!clusterIp,
    'a NodePort Service with ETP=Cluster and ready endpoints (nodePort)': !!nodePort,
    'a Service with no endpoints (reject)': !!reject,
    'a Service with more than 12 ready endpoints (fanOut)': !!fanOut,
    'endpoint drift between the API and a node (drift)': !!drift,
    'a node with pod netns captures (nodeWithPods)': !!nodeWithPods,
    'an ETP=Local or host-firewall question the CLI answers with DROP (dropCandidates)': dropCandidates.some((c) =>
      cliTrace(c.question).some((o) => o.verdict === 'drop'),
    ),
  })
    .filter(([, present]) => !present)
    .map(([what]) => what);
  expect(missing, `missing from the served snapshot: ${missing.join('; ')}`).toEqual([]);
});
