/**
 * Golden fixtures: every `lib/parse/__fixtures__/<kind>/NAME.<ext>` is a capture from the real
 * tool; `NAME.json` is the expected `ParseResult` ({ value, issues }). Adding a fixture needs no
 * test code. To add a parser, add one entry to KINDS below.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { printIptablesSave } from '@/lib/parse/iptables-print';
import type { NetfilterDump } from '@/lib/model/netfilter';
import type { ParseResult } from '@/lib/parse/parse-result';
import { NODE_CAPTURE_KINDS } from '@/testkit/fixture-kinds';
import { parseNftScript } from '@/lib/parse/nft-script';

interface FixtureKind {
  /** File extension of the raw captures in this kind's folder (without the dot). */
  ext: string;
  /** Parses one capture; `name` is the file name (for error messages). */
  parse: (text: string, name: string) => ParseResult<unknown>;
  /** Optional: prints a parsed value back; when given, a capture that parsed without issues
   *  must print back byte-for-byte. */
  print?: (value: unknown) => string;
}

/** kind (folder name under __fixtures__) → how to parse it. */
const KINDS: Record<string, FixtureKind> = {
  iptables: {
    ext: 'save',
    parse: (text, name) => parseIptablesSave(text, { source: name }),
    print: (value) => printIptablesSave(value as NetfilterDump),
  },
  // ipvsadm, ipset, nft, ip-addr, ip-route, cni: raw `.txt` captures (see scripts/capture-fixtures/).
  ...NODE_CAPTURE_KINDS,
  // `nft -f` scripts in knftables' one-command-per-line form (each checked by loading it with the real nft).
  'nft-script': { ext: 'nft', parse: (text) => parseNftScript(text) },
};

const ROOT = path.join(import.meta.dirname, '__fixtures__');

describe.each(Object.entries(KINDS))('golden fixtures > %s', (kind, spec) => {
  const dir = path.join(ROOT, kind);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(`.${spec.ext}`))
        .sort()
    : [];

  it('has at least one fixture', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s matches its .json', (file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const jsonPath = path.join(dir, file.slice(0, -spec.ext.length) + 'json');
    expect(existsSync(jsonPath), `${jsonPath} is missing`).toBe(true);
    const expected = JSON.parse(readFileSync(jsonPath, 'utf8'));
    const actual = JSON.parse(JSON.stringify(spec.parse(text, file)));
    expect(actual).toEqual(expected);
  });

  if (spec.print) {
    // Captures that parse with issues cannot print back exactly (the bad lines are dropped).
    const clean = files.filter((f) => spec.parse(readFileSync(path.join(dir, f), 'utf8'), f).issues.length === 0);
    it.each(clean)('%s prints back byte-for-byte', (file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(spec.print!(spec.parse(text, file).value)).toBe(text);
    });
  }
});
