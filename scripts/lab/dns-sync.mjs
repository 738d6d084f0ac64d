// The lab's stand-in for CoreDNS's `kubernetes` plugin: reads Services and Endpoints from the real
// apiserver and writes them as a hosts file into dnsmasq's --hostsdir, which dnsmasq re-reads by
// inotify (no signal). Polls every 500 ms; rewrites only on change, atomically (rename into the dir,
// which dnsmasq sees as IN_MOVED_TO, so it never reads a half-written file).
//   node dns-sync.mjs <apiserver-url> <ca-file> <token-file> <hostsdir> [cluster-domain]
// Records, as CoreDNS would serve them: <svc>.<ns>.svc.<domain> -> ClusterIP; headless Services ->
// every ready endpoint address. ExternalName CNAMEs cannot live in a hosts file; lab.sh writes them
// into dnsmasq's config instead.
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';

const [server, caFile, tokenFile, hostsDir, domain = 'cluster.local'] = process.argv.slice(2);
const agent = new https.Agent({ ca: fs.readFileSync(caFile), keepAlive: true });
const token = fs.readFileSync(tokenFile, 'utf8').trim();

/** GETs a JSON list from the apiserver. */
function get(p) {
  return new Promise((resolve, reject) => {
    const req = https.get(`${server}${p}`, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`${p}: ${res.statusCode} ${body}`)),
      );
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`${p}: timeout`)));
  });
}

/** Renders the hosts file: one "IP name" line per record, sorted so unchanged input gives equal text. */
function render(services, endpoints) {
  const lines = [];
  const eps = new Map(endpoints.items.map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e]));
  for (const s of services.items) {
    const fqdn = `${s.metadata.name}.${s.metadata.namespace}.svc.${domain}`;
    if (s.spec.type === 'ExternalName') continue;
    if (s.spec.clusterIP && s.spec.clusterIP !== 'None') {
      lines.push(`${s.spec.clusterIP} ${fqdn}`);
      continue;
    }
    for (const subset of eps.get(`${s.metadata.namespace}/${s.metadata.name}`)?.subsets ?? []) {
      for (const a of subset.addresses ?? []) lines.push(`${a.ip} ${fqdn}`);
    }
  }
  return [...new Set(lines)].sort().join('\n') + '\n';
}

let last = '';
async function sync() {
  const [services, endpoints] = await Promise.all([get('/api/v1/services'), get('/api/v1/endpoints')]);
  const text = render(services, endpoints);
  if (text === last) return;
  const tmp = path.join(path.dirname(hostsDir), '.cluster.hosts.tmp');
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, path.join(hostsDir, 'cluster.hosts'));
  last = text;
  console.log(`${new Date().toISOString()} wrote ${text.split('\n').length - 1} records`);
}

async function loop() {
  try {
    await sync();
  } catch (e) {
    console.error(`${new Date().toISOString()} sync failed: ${e.message}`);
  }
  setTimeout(loop, 500);
}
process.on('SIGTERM', () => process.exit(0));
loop();
