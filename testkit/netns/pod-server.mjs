// Tiny pod workload for the netns lab. Run inside a pod netns:
//   node pod-server.mjs <pod-name> <tcpPort,...> <udpPort,...>
// TCP: answers any request with "<pod-name> <remote address> <local port>\n" and closes (works for curl too).
// UDP: replies "<pod-name> <remote address> <local port>\n" to the sender.
// The local port shows which port a DNAT chose (named targetPorts may differ per endpoint).
// The remote address is what the pod saw: it tells whether the node masqueraded the flow.
import net from 'node:net';
import dgram from 'node:dgram';

const [name, tcpArg = '', udpArg = ''] = process.argv.slice(2);
const ports = (s) => s.split(',').filter(Boolean).map(Number);
let pending = 0;
const ready = () => {
  if (--pending === 0) process.stdout.write(`ready ${name}\n`);
};

function serveTcp(port) {
  return (sock) => {
    const body = `${name} ${sock.remoteAddress} ${port}\n`;
    sock.once('data', () => sock.end(`HTTP/1.0 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    sock.on('error', () => {});
    sock.setTimeout(5000, () => sock.destroy());
  };
}

for (const port of ports(tcpArg)) {
  pending += 2;
  net.createServer(serveTcp(port)).listen(port, '0.0.0.0', ready);
  // IPv6 on its own v6-only socket, so IPv4 peers keep their plain dotted form.
  net.createServer(serveTcp(port)).listen({ port, host: '::', ipv6Only: true }, ready);
}
for (const port of ports(udpArg)) {
  pending += 2;
  const sock = dgram.createSocket('udp4');
  sock.on('message', (_msg, rinfo) => sock.send(`${name} ${rinfo.address} ${port}\n`, rinfo.port, rinfo.address));
  sock.bind(port, '0.0.0.0', ready);
  const sock6 = dgram.createSocket({ type: 'udp6', ipv6Only: true });
  sock6.on('message', (_msg, rinfo) => sock6.send(`${name} ${rinfo.address} ${port}\n`, rinfo.port, rinfo.address));
  sock6.on('error', () => {});
  sock6.bind(port, '::', ready);
}
if (pending === 0) process.stdout.write(`ready ${name}\n`);
process.on('SIGTERM', () => process.exit(0));
