import { describe, expect, it } from 'vitest';
import { addressesOf, pairedWithHost, parseNetnsDiscovery } from './collect-pods';

describe('pod netns discovery', () => {
  it('keeps the lowest PID per netns, ignores junk and invalid PIDs', () => {
    const out =
      'self net:[4026531840]\n1 net:[4026531840]\n900 net:[4026532300]\n850 net:[4026532300]\n77 garbage\n99999999 net:[4026532301]\n';
    const { self, byNetns } = parseNetnsDiscovery(out);
    expect(self).toBe('net:[4026531840]');
    expect([...byNetns]).toEqual([
      ['net:[4026531840]', 1],
      ['net:[4026532300]', 850],
    ]);
  });

  it('reads addresses and recognises a veth pair with the host (ip -j addr shape)', () => {
    const host = JSON.stringify([
      { ifindex: 1, ifname: 'lo' },
      { ifindex: 31, link_index: 2, ifname: 'cali1', link_netnsid: 0 },
    ]);
    const pod = JSON.stringify([
      { ifindex: 1, ifname: 'lo', addr_info: [{ local: '127.0.0.1' }] },
      { ifindex: 2, link_index: 31, ifname: 'eth0', addr_info: [{ local: '10.244.1.2' }] },
    ]);
    const elsewhere = JSON.stringify([
      { ifindex: 2, link_index: 40, ifname: 'eth0', addr_info: [{ local: '10.244.1.2' }] },
    ]);
    expect(addressesOf(pod)).toEqual(['127.0.0.1', '10.244.1.2']);
    expect(pairedWithHost(host, pod)).toBe(true);
    expect(pairedWithHost(host, elsewhere)).toBe(false);
    expect(addressesOf('not json')).toEqual([]);
  });
});
