/**
 * Target option parsing: DNAT/SNAT address specs and the MARK arithmetic
 * (xt_MARK computes mark = (mark & ~mask) ^ value for --set-xmark; the other spellings are
 * shorthands that iptables-save rewrites into --set-xmark).
 */
import type { RuleTarget } from '@/lib/model/netfilter';
import { findOpt, parseMarkMask, hex } from '@/lib/trace/core/match-util';

export interface NatSpec {
  ip: string;
  /** Undefined when the spec has no port: the original port is kept. */
  port?: number;
  /** Set when the spec is a range; the kernel picks one, we show the first. */
  range?: string;
}

/** Parse `10.0.0.1:80`, `10.0.0.1-10.0.0.3:80-90`, `[fd00::1]:80`, `fd00::1`, `10.0.0.1`. */
export function parseNatSpec(spec: string): NatSpec | undefined {
  let addr = spec;
  let portText: string | undefined;
  if (spec.startsWith('[')) {
    const close = spec.indexOf(']');
    if (close < 0) return undefined;
    addr = spec.slice(1, close);
    const rest = spec.slice(close + 1);
    if (rest.startsWith(':')) portText = rest.slice(1);
  } else if ((spec.match(/:/g) ?? []).length === 1) {
    const c = spec.indexOf(':');
    addr = spec.slice(0, c);
    portText = spec.slice(c + 1);
  }
  const [ipLo, ipHi] = addr.split('-');
  if (!ipLo) return undefined;
  let port: number | undefined;
  let range: string | undefined;
  if (ipHi) range = addr;
  if (portText) {
    const [lo, hi] = portText.split('-');
    port = Number(lo);
    if (!Number.isInteger(port)) return undefined;
    if (hi) range = range ? `${range}:${portText}` : `port ${portText}`;
  }
  return { ip: ipLo, port, range };
}

/** New mark after a MARK target, and the words for it. */
export function applyMark(target: RuleTarget, mark: number): { mark: number; why: string } {
  const o = target.options[0];
  if (!o) return { mark, why: 'MARK without options' };
  const name = o.name.replace(/^-+/, '');
  const { value, mask } = parseMarkMask(o.values[0] ?? '0');
  let next = mark;
  switch (name) {
    case 'set-xmark':
      next = ((mark & ~mask) ^ value) >>> 0;
      break;
    case 'set-mark':
      next = ((mark & ~mask) | value) >>> 0;
      break;
    case 'or-mark':
      next = (mark | value) >>> 0;
      break;
    case 'xor-mark':
      next = (mark ^ value) >>> 0;
      break;
    case 'and-mark':
      next = (mark & value) >>> 0;
      break;
    default:
      return { mark, why: `MARK --${name} not modelled; mark left at ${hex(mark)}` };
  }
  return { mark: next, why: `mark ${hex(mark)} → ${hex(next)} (--${name} ${o.values[0]})` };
}

export function natSpecOf(target: RuleTarget, option: string): string | undefined {
  return findOpt(target, option)?.values[0];
}
