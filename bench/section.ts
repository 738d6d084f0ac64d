/** What every bench section is: a name, an optional table header and a run (bench/run.ts lists them). */
export interface BenchOptions {
  quick?: boolean;
  log?: (s: string) => void;
}

export interface BenchSection {
  name: string;
  /** Optional table header printed before the section's log lines. */
  header?: string;
  run(opts: BenchOptions): Promise<unknown>;
}
