import { describe, expect, it } from 'vitest';
import { parseIpRoute, routeFamily } from '@/lib/parse/ip-route';
import { parseIpRouteJson } from '@/lib/parse/ip-route-json';
import { isLocalDelivery, routeLookup } from '@/lib/parse/ip-route-lookup';
import { ParseError } from '@/lib/parse/parse-result';
import { readFixture } from '@/testkit/parser-fixtures';
import { assertHugeLineHandled, assertRobust } from '@/testkit/parser-fuzz';

// All captured from one node-shaped netns by scripts/capture-fixtures/ip-capture.sh.
const tableAll = readFixture('ip-route', 'table-all.txt'); // v4 + v6, all tables
const tableAllJson = readFixture('ip-route', 'table-all-json.txt');
const main = readFixture('ip-route', 'main.txt');

describe('parseIpRoute', () => {
  const { value, issues } = parseIpRoute(tableAll);

  it('reads main, local and custom tables, v4 and v6, with no issues', () => {
    expect(issues).toEqual([]);
    const tables = new Set(value.map((r) => r.table ?? 'main'));
    expect([...tables].sort()).toEqual(['100', 'local', 'main']);
    expect(value.filter((r) => r.destination.includes(':')).length).toBeGreaterThan(5);
  });

  it('reads route types, gateways, devices, proto, scope, src, metric', () => {
    const find = (d: string, t?: string) =>
      value.find((r) => r.destination === d && (t === undefined || r.table === t))!;
    expect(find('default')).toMatchObject({ gateway: '192.168.77.1', device: 'eth0', protocol: 'static', metric: 100 });
    expect(find('10.244.1.0/24')).toMatchObject({
      device: 'cni0',
      protocol: 'kernel',
      scope: 'link',
      source: '10.244.1.1',
    });
    expect(find('10.244.1.9/32')).toMatchObject({ device: 'cali1234', scope: 'link' }); // host route gets /32
    expect(find('10.244.3.0/24')).toMatchObject({ type: 'blackhole', protocol: 'bird' });
    expect(find('10.244.4.0/24').type).toBe('unreachable');
    expect(find('10.96.0.1/32')).toMatchObject({ type: 'local', device: 'kube-ipvs0', table: 'local', scope: 'host' });
    expect(find('10.244.1.255/32')).toMatchObject({ type: 'broadcast', table: 'local' });
    expect(find('fd00:10:96::1/128')).toMatchObject({ type: 'local', table: 'local', metric: 0 });
    expect(find('172.16.0.0/16').table).toBe('100');
    expect(find('10.244.2.0/24').raw).toBe('10.244.2.0/24 via 192.168.77.12 dev eth0 onlink ');
  });

  it('gives the same routes from `ip -j route show table all`', () => {
    const j = parseIpRoute(tableAllJson);
    expect(j.issues).toEqual([]);
    const noRaw = (rs: typeof value) => rs.map(({ raw: _raw, ...r }) => r);
    expect(noRaw(j.value)).toEqual(noRaw(value));
  });

  it('tells the family of default routes from the gateway', () => {
    const defaults = value.filter((r) => r.destination === 'default');
    expect(defaults.map(routeFamily).sort()).toEqual([4, 6]);
    expect(routeFamily({ destination: 'default', device: 'wg0' })).toBeUndefined();
  });

  it('keeps the first nexthop of a multipath route and warns about the rest', () => {
    const ecmp =
      'default proto bird metric 20\n\tnexthop via 10.0.0.1 dev eth0 weight 1\n\tnexthop via 10.0.0.2 dev eth1 weight 1\n';
    const res = parseIpRoute(ecmp);
    expect(res.value).toEqual([
      {
        destination: 'default',
        protocol: 'bird',
        metric: 20,
        gateway: '10.0.0.1',
        device: 'eth0',
        raw: 'default proto bird metric 20',
      },
    ]);
    expect(res.issues).toEqual([expect.objectContaining({ line: 3, severity: 'warning' })]);
  });

  it('reads `via inet6` gateways (IPv4 route over an IPv6 next hop)', () => {
    expect(parseIpRoute('10.1.0.0/16 via inet6 fe80::1 dev eth0\n').value[0].gateway).toBe('fe80::1');
  });
});

describe('routeLookup agrees with the kernel (`ip route get` in the same netns)', () => {
  const routes = parseIpRoute(tableAll).value;
  const kernel = readFixture('ip-route', 'route-get.tsv')
    .trim()
    .split('\n')
    .map((l) => l.split('\t') as [string, string]);

  it.each(kernel)('%s → %s', (dst, answer) => {
    const r = routeLookup(routes, dst);
    if (answer.includes('Invalid argument')) {
      expect(r?.type).toBe('blackhole'); // the kernel refuses to route into a blackhole with EINVAL
    } else if (answer.includes('No route to host')) {
      expect(r?.type).toBe('unreachable');
    } else if (/^local /.test(answer)) {
      expect(r?.type).toBe('local');
      expect(isLocalDelivery(routes, dst)).toBe(true);
    } else if (/^broadcast /.test(answer)) {
      expect(r?.type).toBe('broadcast');
    } else {
      expect(r?.type).toBeUndefined();
      expect(isLocalDelivery(routes, dst)).toBe(false);
      expect(r?.gateway).toBe(/ via (\S+)/.exec(answer)?.[1]);
      expect(r?.device).toBe(/ dev (\S+)/.exec(answer)![1]);
    }
  });

  it('covers every kind of answer', () => {
    const kinds = new Set(
      kernel.map(([, a]) => /^(local|broadcast)/.exec(a)?.[1] ?? (/RTNETLINK/.test(a) ? 'error' : 'unicast')),
    );
    expect([...kinds].sort()).toEqual(['broadcast', 'error', 'local', 'unicast']);
  });

  it('uses only the main table when given plain `ip route` output', () => {
    const m = parseIpRoute(main).value;
    expect(routeLookup(m, '10.96.0.1')?.gateway).toBe('192.168.77.1'); // no local table → default route
    expect(routeLookup(m, 'fd00::1')).toBeUndefined(); // no IPv6 routes in this capture
    expect(routeLookup(m, 'not-an-ip')).toBeUndefined();
  });

  it('prefers the lower metric among equal prefixes and honours throw', () => {
    const rs = parseIpRoute(
      '10.0.0.0/8 dev a metric 200\n10.0.0.0/8 dev b metric 100\nthrow 10.9.0.0/16 table local\n',
    ).value;
    expect(routeLookup(rs, '10.1.1.1')?.device).toBe('b');
    expect(routeLookup(rs, '10.9.1.1')?.device).toBe('b'); // thrown out of local, found in main
  });
});

describe('ip route bad input', () => {
  it('flags bad lines with line number; strict throws ParseError', () => {
    const res = parseIpRoute(
      'default via 10.0.0.1 dev eth0\n10.300.0.0/16 dev eth0\n10.1.0.0/16 dev eth0 bogus 1\nmetric\n',
    );
    expect(res.issues.map((i) => i.line)).toEqual([2, 3, 4]);
    expect(res.value).toHaveLength(1);
    expect(() => parseIpRoute('Error: ipv4: FIB table does not exist.\n', { strict: true })).toThrow(ParseError);
  });

  it('reports bad JSON with line/column and wrong shapes', () => {
    expect(parseIpRouteJson('[{"dst": "default",\n "dev": eth0}]').issues[0].reason).toMatch(/line 2 column 9/);
    expect(parseIpRouteJson('[{"dev": "eth0"}]').issues[0].reason).toMatch(/without a valid dst/);
  });

  it('survives random mutations', () => {
    assertRobust(parseIpRoute, [tableAll, readFixture('ip-route', 'table-all-v6.txt')]);
    assertRobust(parseIpRoute, [tableAllJson], 150);
  });
  it('handles a 100 MB line', () => assertHugeLineHandled(parseIpRoute));
});
