/**
 * The preamble of every server page: the gate (lib/viewer/gate.ts) with the page's request headers.
 * proxy.ts runs the same gate first and answers a failure with its real status (401, 403, 503) and
 * an error page; a page still checks, and shows the same error, should it ever get this far.
 */
import 'server-only';
import { headers } from 'next/headers';
import { gate, type Gate, type GateNeeds } from './gate';

export async function requireViewer(needs?: GateNeeds): Promise<Gate> {
  return gate(await headers(), needs);
}
