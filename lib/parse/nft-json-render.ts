/**
 * Renders libnftables JSON expressions and statements (`nft -j list ruleset`) back into the text
 * form `nft list ruleset` prints, so the tracer reads one syntax whatever the capture format.
 * Covered: payload/meta/ct/fib matches, set references `@set`, anonymous sets, prefixes, ranges,
 * concatenations, bitwise `& | ^`, numgen, vmap/map, verdicts, nat (dnat/snat/masquerade/redirect),
 * reject, mangle (`meta mark set ...`), counter, log, limit, set update, xt (iptables-nft).
 * Anything else renders as `<json:KEY>` and is reported through `unknown`, never dropped.
 */

type Json = unknown;
type Obj = Record<string, Json>;

export interface RenderContext {
  /** Called once per JSON key the renderer does not know. */
  unknown: (key: string) => void;
  /** Called for iptables-nft `xt` statements, whose match details nft cannot show. */
  xt?: (name: string) => void;
}

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether an expression reads a mark (nft prints mark values as 0x%08x). */
function isMarkExpr(e: Json): boolean {
  if (!isObj(e)) return false;
  const meta = e.meta as Obj | undefined;
  const ct = e.ct as Obj | undefined;
  if (meta?.key === 'mark' || ct?.key === 'mark') return true;
  const bin = (e['&'] ?? e['|'] ?? e['^']) as Json[] | undefined;
  return Array.isArray(bin) && isMarkExpr(bin[0]);
}

const hex32 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

function quoteIfNeeded(s: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(s) || s.startsWith('@') ? s : JSON.stringify(s);
}

/** Render an expression. `mark` formats bare numbers as 32-bit hex (mark context). */
export function renderExpr(e: Json, ctx: RenderContext, mark = false): string {
  if (typeof e === 'number') return mark ? hex32(e) : String(e);
  if (typeof e === 'string') return quoteIfNeeded(e);
  if (typeof e === 'boolean') return e ? 'exists' : 'missing';
  if (Array.isArray(e)) return e.map((x) => renderExpr(x, ctx, mark)).join(','); // flag lists: ct state
  if (!isObj(e)) return String(e);
  const [key, v] = Object.entries(e)[0] ?? ['', undefined];
  const o = (isObj(v) ? v : {}) as Obj;
  switch (key) {
    case 'payload':
      if (o.protocol !== undefined) return `${o.protocol} ${o.field}`;
      return `@${o.base},${o.offset},${o.len}`; // raw payload expression
    case 'meta': {
      const k = String(o.key);
      return `meta ${k}`;
    }
    case 'ct':
      return `ct ${o.dir ? `${o.dir} ` : ''}${o.key}`;
    case 'fib': {
      const flags = Array.isArray(o.flags) ? (o.flags as string[]) : o.flags ? [String(o.flags)] : [];
      return `fib ${flags.join(' . ')} ${o.result}`;
    }
    case 'prefix':
      return `${o.addr}/${o.len}`;
    case 'range':
      return (v as Json[]).map((x) => renderExpr(x, ctx, mark)).join('-');
    case 'concat':
      return (v as Json[]).map((x) => renderExpr(x, ctx)).join(' . ');
    case 'set': {
      const items = (Array.isArray(v) ? v : [v]).map((x) => renderElem(x, ctx, mark));
      return `{ ${items.join(', ')} }`;
    }
    case 'elem':
      return renderElem(e, ctx, mark);
    case '&':
    case '|':
    case '^':
    case '<<':
    case '>>': {
      const [l, r] = v as Json[];
      const m = mark || isMarkExpr(l);
      return `${renderExpr(l, ctx, m)} ${key} ${renderExpr(r, ctx, m)}`;
    }
    case 'numgen':
      return `numgen ${o.mode} mod ${o.mod}${o.offset ? ` offset ${o.offset}` : ''}`;
    case 'jhash':
    case 'symhash':
      return `${key}${o.expr ? ` ${renderExpr(o.expr, ctx)}` : ''} mod ${o.mod}${o.seed !== undefined ? ` seed ${hex32(Number(o.seed))}` : ''}${o.offset ? ` offset ${o.offset}` : ''}`;
    case 'map':
      return `${renderExpr(o.key, ctx)} map ${renderExpr(o.data, ctx)}`;
    case 'socket':
    case 'osf':
    case 'rt':
    case 'ipsec':
    case 'exthdr':
    case 'tcp option':
      return `${key} ${Object.values(o)
        .map((x) => renderExpr(x, ctx))
        .join(' ')}`;
    default: {
      if (['accept', 'drop', 'continue', 'return', 'jump', 'goto'].includes(key)) return renderStatement(e, ctx);
      ctx.unknown(key);
      return `<json:${key}>`;
    }
  }
}

/** A set element: plain expression, `[key, value]` map pair, or `{elem: {val, timeout, comment}}`. */
function renderElem(x: Json, ctx: RenderContext, mark: boolean): string {
  if (Array.isArray(x) && x.length === 2) return `${renderElem(x[0], ctx, mark)} : ${renderExpr(x[1], ctx)}`;
  if (isObj(x) && isObj(x.elem)) {
    const el = x.elem;
    const comment = typeof el.comment === 'string' ? ` comment ${JSON.stringify(el.comment)}` : '';
    return `${renderExpr(el.val, ctx, mark)}${comment}`;
  }
  return renderExpr(x, ctx, mark);
}

function renderMatch(o: Obj, ctx: RenderContext): string {
  const mark = isMarkExpr(o.left);
  const left = renderExpr(o.left, ctx, mark);
  const right = renderExpr(o.right, ctx, mark);
  const op = String(o.op);
  // nft omits the implicit `==` / `in`, except after a bitwise expression (`mark & 0x.. == 0x..`).
  const bitwise = isObj(o.left) && ['&', '|', '^'].some((k) => k in (o.left as Obj));
  if ((op === '==' && !bitwise) || op === 'in') return `${left} ${right}`;
  return `${left} ${op} ${right}`;
}

function renderNat(kind: string, o: Obj, ctx: RenderContext): string {
  const fam = typeof o.family === 'string' ? ` ${o.family}` : '';
  const addr = o.addr !== undefined ? renderExpr(o.addr, ctx) : '';
  const isV6 = typeof o.addr === 'string' && o.addr.includes(':');
  let target = addr;
  if (o.port !== undefined)
    target = addr ? `${isV6 ? `[${addr}]` : addr}:${renderExpr(o.port, ctx)}` : `:${renderExpr(o.port, ctx)}`;
  const flags = o.flags ? ` ${([] as Json[]).concat(o.flags).join(',')}` : '';
  return `${kind}${fam}${target ? ` to ${target}` : ''}${flags}`;
}

/** Render one rule statement (a match, a verdict or an action). */
export function renderStatement(s: Json, ctx: RenderContext): string {
  if (!isObj(s)) return String(s);
  const [key, v] = Object.entries(s)[0] ?? ['', undefined];
  const o = (isObj(v) ? v : {}) as Obj;
  switch (key) {
    case 'match':
      return renderMatch(o, ctx);
    case 'accept':
    case 'drop':
    case 'continue':
    case 'return':
      return key;
    case 'jump':
    case 'goto':
      return `${key} ${o.target}`;
    case 'counter':
      return isObj(v) && v.packets !== undefined ? `counter packets ${o.packets} bytes ${o.bytes}` : 'counter';
    case 'mangle': {
      const mark = isMarkExpr(o.key);
      return `${renderExpr(o.key, ctx)} set ${renderExpr(o.value, ctx, mark)}`;
    }
    case 'vmap':
    case 'map':
      return `${renderExpr(o.key, ctx)} ${key} ${renderExpr(o.data, ctx)}`;
    case 'dnat':
    case 'snat':
    case 'redirect':
      return renderNat(key, o, ctx);
    case 'masquerade':
      return isObj(v) ? renderNat('masquerade', o, ctx) : 'masquerade';
    case 'reject':
      if (!isObj(v)) return 'reject';
      if (o.type === 'tcp reset') return 'reject with tcp reset';
      // `reject` alone is printed for the default (icmp port-unreachable in ip tables).
      return o.expr === 'port-unreachable' && (o.type === 'icmp' || o.type === 'icmpx' || o.type === 'icmpv6')
        ? 'reject'
        : `reject with ${o.type} ${o.expr}`;
    case 'set':
      return `${o.op} ${o.set} { ${renderExpr(o.elem, ctx)} }`;
    case 'log':
      return `log${o.prefix !== undefined ? ` prefix ${JSON.stringify(o.prefix)}` : ''}`;
    case 'limit':
      return `limit rate ${o.inv ? 'over ' : ''}${o.rate}/${o.per}${o.burst ? ` burst ${o.burst} packets` : ''}`;
    case 'notrack':
      return 'notrack';
    case 'xt':
      ctx.xt?.(`${o.type} ${o.name}`);
      return `xt ${o.type} ${o.name}`;
    default:
      ctx.unknown(key);
      return `<json:${key}>`;
  }
}
