// Sends the lab's API writes (built by lib/objects.sh as JSON lines) over one keep-alive HTTPS
// connection pool: ~60 requests in well under a second, where one curl + jq per object cost
// ~0.5 s each on a loaded 2-core machine. Requests with the same `wave` run concurrently; waves
// run in order (namespaces and accounts before pods, an object before its status).
//   node api-apply.mjs <apiserver-url> <ca-file> <token-file> <requests.jsonl>
// Each line: {"wave": n, "method": "POST", "path": "/api/v1/...", "contentType": "...", "body": {...}}
// Exits 1 naming the first failed request and the apiserver's answer.
import https from 'node:https';
import fs from 'node:fs';

const [server, caFile, tokenFile, requestsFile] = process.argv.slice(2);
const agent = new https.Agent({ ca: fs.readFileSync(caFile), keepAlive: true, maxSockets: 8 });
const token = fs.readFileSync(tokenFile, 'utf8').trim();
const requests = fs
  .readFileSync(requestsFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));

/** One request; resolves with the status code and body text. */
function send(r) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(r.body);
    const req = https.request(
      `${server}${r.path}`,
      {
        method: r.method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': r.contentType ?? 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('timeout after 30 s')));
    req.end(body);
  });
}

const waves = [...new Set(requests.map((r) => r.wave))].sort((a, b) => a - b);
for (const wave of waves) {
  const batch = requests.filter((r) => r.wave === wave);
  const results = await Promise.all(batch.map((r) => send(r).catch((e) => ({ status: 0, text: e.message }))));
  results.forEach((res, i) => {
    const r = batch[i];
    // 409 AlreadyExists only for the ServiceAccounts, which the controller-manager may create first.
    const ok = (res.status >= 200 && res.status < 300) || (res.status === 409 && r.path.endsWith('/serviceaccounts'));
    if (!ok) {
      console.error(`${r.method} ${r.path} -> ${res.status}: ${res.text.slice(0, 500)}`);
      process.exit(1);
    }
  });
}
agent.destroy();
