/**
 * `npx kubepath <command>`: dispatches to one module per command. Each module exports
 * `run(argv: string[]): Promise<number>` and owns its own flags (see cli/args.ts).
 */
type CommandModule = { run(argv: string[]): Promise<number> };

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  parse: {
    summary: 'parse a capture and print a one-line summary (or the error with its line)',
    load: () => import('./parse-cmd.ts'),
  },
  trace: {
    summary: "trace a packet through a node's rules (dumps or a snapshot)",
    load: () => import('./trace-cmd.ts'),
  },
  collect: {
    summary: 'collect nodes over SSH / pod agent and the Kubernetes API into a snapshot',
    load: () => import('./collect-cmd.ts'),
  },
  dns: {
    summary: 'explain how a pod resolves a name (search list, ndots, cluster DNS)',
    load: () => import('./dns-cmd.ts'),
  },
  report: { summary: 'export an incident report (html, md, json, pdf)', load: () => import('./report-cmd.ts') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `usage: kubepath <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "kubepath <command> --help" for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`kubepath: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`kubepath ${name}: ${message}\n`);
    return 1;
  }
}
