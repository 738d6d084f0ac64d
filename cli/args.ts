/**
 * Tiny flag parser shared by the CLI commands: `--name value`, `--name=value`, boolean flags,
 * repeated flags. Unknown flags are an error (a typo must not silently change the question).
 */
export interface FlagSpec {
  /** Flags that take a value. */
  values: string[];
  /** Flags that are booleans. */
  booleans?: string[];
  /** Value flags that may repeat (collected into an array). */
  repeated?: string[];
}

export interface ParsedArgs {
  values: Record<string, string | undefined>;
  lists: Record<string, string[]>;
  flags: Record<string, boolean>;
  positionals: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const out: ParsedArgs = { values: {}, lists: {}, flags: {}, positionals: [] };
  const booleans = new Set(spec.booleans ?? []);
  const values = new Set(spec.values);
  const repeated = new Set(spec.repeated ?? []);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (booleans.has(name)) {
      out.flags[name] = true;
      continue;
    }
    if (!values.has(name) && !repeated.has(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (repeated.has(name)) (out.lists[name] ??= []).push(value);
    else out.values[name] = value;
  }
  return out;
}

export function required(args: ParsedArgs, name: string): string {
  const v = args.values[name];
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}
