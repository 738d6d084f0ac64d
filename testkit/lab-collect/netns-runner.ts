/**
 * Runs the allowlisted argv inside a named network namespace via `ip netns exec` (the command
 * recorded in the capture is the node command itself). Used to capture demo fixture nodes with
 * the real tools.
 */
import type { RawCapture } from '@/lib/model/snapshot';
import { shellQuote, type Argv } from '../../agents/commands';
import { LocalRunner } from '../../agents/local-runner';
import type { CommandRunner, RunLimits } from '../../agents/runner';

export class NetnsRunner implements CommandRunner {
  private readonly local: LocalRunner;
  constructor(
    private readonly netns: string,
    readonly via: string,
  ) {
    if (!/^[A-Za-z0-9_.-]+$/.test(netns)) throw new Error(`invalid netns name ${JSON.stringify(netns)}`);
    this.local = new LocalRunner(via);
  }

  async run(argv: Argv, limits: RunLimits): Promise<RawCapture> {
    const c = await this.local.run(['ip', 'netns', 'exec', this.netns, ...argv], limits);
    return { ...c, command: shellQuote(argv) };
  }

  async close(): Promise<void> {}
}
