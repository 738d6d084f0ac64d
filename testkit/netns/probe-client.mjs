// Sends N NEW connections (TCP) or datagrams (UDP, each from a fresh socket = fresh conntrack entry)
// to host:port from the netns it runs in, all at once, and prints one JSON array of results:
//   {"kind":"answered","pod":"pod-a","seenSrc":"10.1.1.1","port":8080} | {"kind":"refused"} | {"kind":"timeout"}
//   | {"kind":"error","code":"EHOSTUNREACH"}
// Usage: node probe-client.mjs '{"proto":"tcp","host":"10.96.0.1","port":80,"count":60,"timeoutMs":800,"localAddress":"..."}'
import net from 'node:net';
import dgram from 'node:dgram';

const req = JSON.parse(process.argv[2]);
const parse = (text) => {
  const line = text.split('\n').filter(Boolean).pop() ?? '';
  const [pod, seenSrc, port] = line.trim().split(' ');
  return pod && seenSrc && port
    ? { kind: 'answered', pod, seenSrc, port: Number(port) }
    : { kind: 'error', code: 'EMPTY' };
};
// Errors that arrive at once because something answered "no": a TCP RST or ICMP port unreachable
// (ECONNREFUSED), ICMP host/net unreachable or admin-prohibited (REJECT --reject-with icmp-host-*,
// icmp-net-*, icmp-admin-prohibited). All are a REJECT as the client experiences it.
const REFUSALS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EACCES']);
const classifyErr = (err) =>
  REFUSALS.has(err.code)
    ? { kind: 'refused', code: err.code }
    : { kind: 'error', code: String(err.code ?? err.message) };

function tcpOnce() {
  return new Promise((resolve) => {
    let buf = '';
    let done = false;
    const finish = (r) => {
      if (!done) {
        done = true;
        clearTimeout(t);
        sock.destroy();
        resolve(r);
      }
    };
    const sock = net.connect({ host: req.host, port: req.port, localAddress: req.localAddress });
    const t = setTimeout(() => finish({ kind: 'timeout' }), req.timeoutMs);
    sock.on('connect', () => sock.write('GET / HTTP/1.0\r\n\r\n'));
    sock.setEncoding('utf8');
    sock.on('data', (d) => (buf += d));
    sock.on('end', () => finish(parse(buf)));
    sock.on('error', (err) => finish(classifyErr(err)));
  });
}

function udpOnce() {
  return new Promise((resolve) => {
    let done = false;
    const sock = dgram.createSocket(req.host.includes(':') ? 'udp6' : 'udp4');
    const finish = (r) => {
      if (!done) {
        done = true;
        clearTimeout(t);
        sock.close();
        resolve(r);
      }
    };
    const t = setTimeout(() => finish({ kind: 'timeout' }), req.timeoutMs);
    sock.on('message', (msg) => finish(parse(msg.toString('utf8'))));
    // A connected UDP socket reports ICMP port-unreachable (REJECT) as ECONNREFUSED.
    sock.on('error', (err) => finish(classifyErr(err)));
    sock.bind({ address: req.localAddress, port: 0 }, () => {
      sock.connect(req.port, req.host, (err) => {
        if (err) return finish(classifyErr(err));
        sock.send('probe\n', (e) => e && finish(classifyErr(e)));
      });
    });
  });
}

const once = req.proto === 'udp' ? udpOnce : tcpOnce;
const results = await Promise.all(Array.from({ length: req.count }, () => once()));
process.stdout.write(JSON.stringify(results) + '\n');
