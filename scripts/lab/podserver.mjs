// The lab's "container": a tiny real server run inside a pod's network + mount namespace.
// Plain .mjs (no tsx) because a dozen of these start at once and Node's own startup is the cost.
// Answers say who answered and whom it saw, so tests can tell which endpoint kube-proxy picked
// and whether the source was masqueraded.
//   node podserver.mjs <pod-name> [httpPorts=8080,9090] [udpPort=9000]
import http from 'node:http';
import dgram from 'node:dgram';

const [name = 'pod', httpPorts = '8080,9090', udpPort = '9000'] = process.argv.slice(2);

for (const port of httpPorts.split(',').filter(Boolean).map(Number)) {
  http
    .createServer((req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`${name} port=${port} from=${req.socket.remoteAddress}\n`);
    })
    .listen(port, '0.0.0.0');
}

if (udpPort !== '0') {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (_msg, rinfo) => {
    sock.send(`${name} udp=${udpPort} from=${rinfo.address}\n`, rinfo.port, rinfo.address);
  });
  sock.bind(Number(udpPort), '0.0.0.0');
}

process.on('SIGTERM', () => process.exit(0));
