/**
 * How each node-capture fixture folder is parsed, for the golden-fixture walker
 * (lib/parse/fixtures.test.ts) and for scripts/capture-fixtures/write-goldens.ts.
 * Raw captures are `.txt` files (JSON captures are named `*-json.txt`; CNI configs `.conflist`);
 * expected results are
 * `NAME.json` holding the whole ParseResult ({ value, issues }).
 */
import type { ParseOptions, ParseResult } from '@/lib/parse/parse-result';
import { parseIpvsadm } from '@/lib/parse/ipvsadm';
import { parseIpset } from '@/lib/parse/ipset';
import { parseNft } from '@/lib/parse/nft';
import { parseNftJson } from '@/lib/parse/nft-json';
import { parseIpAddr } from '@/lib/parse/ip-addr';
import { parseIpRoute } from '@/lib/parse/ip-route';
import { parseCni } from '@/lib/parse/cni';

export interface CaptureKind {
  ext: string;
  parse: (text: string, name: string, opts?: ParseOptions) => ParseResult<unknown>;
}

export const NODE_CAPTURE_KINDS: Record<string, CaptureKind> = {
  ipvsadm: { ext: 'txt', parse: (t, _n, o) => parseIpvsadm(t, o) },
  ipset: { ext: 'txt', parse: (t, _n, o) => parseIpset(t, o) },
  nft: { ext: 'txt', parse: (t, name, o) => (name.endsWith('-json.txt') ? parseNftJson(t, o) : parseNft(t, o)) },
  'ip-addr': { ext: 'txt', parse: (t, _n, o) => parseIpAddr(t, o) },
  'ip-route': { ext: 'txt', parse: (t, _n, o) => parseIpRoute(t, o) },
  // CNI configs are files, not command output: fixtures keep their real names (.conflist).
  cni: { ext: 'conflist', parse: (t, name, o) => parseCni(t, { ...o, file: name }) },
};
