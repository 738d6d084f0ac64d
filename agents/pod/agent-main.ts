/**
 * Entry point inside the agent pod: runs the SAME collector as SSH mode, locally, with the same
 * allowlist, reaching the host's files through /proc/1/root (hostPID), then prints one capture line.
 */
import { collectNode } from '../collect-node';
import { LocalRunner } from '../local-runner';
import { encodeAgentOutput } from './agent-output';

const node = await collectNode(new LocalRunner('pod-agent'), {
  fallbackName: process.env.NODE_NAME ?? 'unknown-node',
  hostFiles: process.env.KUBEPATH_HOST_FILES === 'direct' ? 'direct' : 'via-proc1-root',
  // Checked against a strict pattern by the collector before it reaches a command line.
  cniDir: process.env.KUBEPATH_CNI_DIR || undefined,
  limits: { timeoutMs: 20_000, maxBytes: 32 * 1024 * 1024 },
});
if (process.env.NODE_NAME) node.name = process.env.NODE_NAME;
process.stdout.write(encodeAgentOutput(node));
