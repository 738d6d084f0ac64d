// Test fixture for exit-cleanup.test.ts: builds a topology, prints what it made, then dies
// WITHOUT calling teardown (mode: "exit" → process.exit(3), "signal" → SIGTERM to itself).
import { createTopology } from './topology';
import { liveProcesses } from './process-registry';

const mode = process.argv[2] ?? 'exit';
const topo = await createTopology({ pods: [{ name: 'a', node: 1 }] });
process.stdout.write(JSON.stringify({ prefix: topo.plan.prefix, pids: liveProcesses().map((p) => p.pid) }) + '\n');
if (mode === 'signal') process.kill(process.pid, 'SIGTERM');
else process.exit(3);
