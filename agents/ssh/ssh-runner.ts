/**
 * CommandRunner over one ssh2 connection: each allowlisted argv becomes one `exec` channel with its
 * own timeout and output cap. On timeout or overflow the channel is signalled and closed, so a
 * hanging or flooding command never blocks the rest of the node's collection.
 */
import type { Client, ClientChannel } from 'ssh2';
import type { RawCapture } from '@/lib/model/snapshot';
import { shellQuote, type Argv } from '../commands';
import { CappedBuffer, toCapture, type CommandRunner, type Finished, type RunLimits } from '../runner';

export class SshRunner implements CommandRunner {
  constructor(
    private readonly client: Client,
    readonly via: string,
  ) {}

  run(argv: Argv, limits: RunLimits): Promise<RawCapture> {
    const command = shellQuote(argv);
    const f: Finished = {
      command,
      stdout: new CappedBuffer(limits.maxBytes),
      stderr: new CappedBuffer(256 * 1024),
      exitCode: null,
      timedOut: false,
      startedAt: Date.now(),
    };
    return new Promise((resolve) => {
      let channel: ClientChannel | undefined;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(toCapture(f, limits));
      };
      const stop = () => {
        if (!channel) return;
        // sshd forwards the signal only if the server allows it; closing the channel is what
        // guarantees we stop waiting (sshd then SIGHUPs the session's process group).
        try {
          channel.signal('KILL');
        } catch {
          /* channel already closing */
        }
        channel.close();
        setTimeout(finish, 500).unref();
      };
      const timer = setTimeout(() => {
        f.timedOut = true;
        stop();
        if (!channel) finish();
      }, limits.timeoutMs);

      this.client.exec(command, (err, ch) => {
        if (err) {
          f.spawnError = `exec failed: ${err.message}`;
          return finish();
        }
        channel = ch;
        ch.on('data', (c: Buffer) => {
          if (!f.stdout.push(c)) stop();
        });
        ch.stderr.on('data', (c: Buffer) => f.stderr.push(c));
        ch.on('exit', (code: number | null) => {
          f.exitCode = code;
        });
        ch.on('close', finish);
      });
    });
  }

  async close(): Promise<void> {
    this.client.end();
  }
}
