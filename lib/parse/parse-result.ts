/**
 * Shared result and error types for every parser in lib/parse.
 * Parsers are lenient by default: lines they do not understand become ParseIssues that the UI
 * shows. With `strict`, the first issue is thrown as a ParseError instead.
 */

export interface ParseIssue {
  /** 1-based line number in the input; 0 when the issue concerns the whole input. */
  line: number;
  /** The offending line, truncated to 500 characters so a 100 MB line never reaches the UI whole. */
  raw: string;
  reason: string;
  severity: 'warning' | 'error';
}

export interface ParseResult<T> {
  value: T;
  issues: ParseIssue[];
}

export interface ParseOptions {
  strict?: boolean;
}

const MAX_RAW = 500;

export function clipLine(raw: string): string {
  return raw.length > MAX_RAW ? `${raw.slice(0, MAX_RAW)}… (${raw.length} characters)` : raw;
}

/** The only error type a parser may throw. */
export class ParseError extends Error {
  readonly line: number;
  readonly raw: string;
  readonly reason: string;
  readonly source: string;

  constructor(source: string, line: number, raw: string, reason: string) {
    const clipped = clipLine(raw);
    super(`${source}: line ${line}: ${reason}: ${JSON.stringify(clipped)}`);
    this.name = 'ParseError';
    this.source = source;
    this.line = line;
    this.raw = clipped;
    this.reason = reason;
  }
}

/** Collects issues; in strict mode the first error-severity issue (or any issue) throws. */
export class IssueSink {
  readonly issues: ParseIssue[] = [];
  constructor(
    private readonly source: string,
    private readonly strict = false,
  ) {}

  add(line: number, raw: string, reason: string, severity: ParseIssue['severity'] = 'error'): void {
    if (this.strict) throw new ParseError(this.source, line, raw, reason);
    this.issues.push({ line, raw: clipLine(raw), reason, severity });
  }
}
