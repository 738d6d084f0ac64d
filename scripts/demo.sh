#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the console, and serves it on the
# built-in demo snapshot at http://127.0.0.1:3000 (KUBEPATH_SNAPSHOT=/path.json serves another one;
# PORT=… picks another port).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
PORT="${PORT:-3000}"

if [ ! -d node_modules/next ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if [ "$(id -u)" = 0 ]; then bash scripts/install-deps.sh; else npm ci --no-audit --no-fund; fi
fi
if [ -z "${KUBEPATH_SNAPSHOT:-}" ] && [ ! -f demo/demo-snapshot.json ] && [ ! -f demo/provisional-snapshot.json ]; then
  echo "demo: no demo snapshot in demo/; set KUBEPATH_SNAPSHOT=/path/to/snapshot.json" >&2
  exit 1
fi
# The CLI bundle (npx kubepath) from the current sources; about a second.
node scripts/build-cli.mjs
# Rebuild the console when any source is newer than the last build.
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib -newer .next/BUILD_ID -name '*.ts*' -print -quit)" ]; then
  npx next build
fi
echo "kubepath console: http://127.0.0.1:${PORT}  (snapshot: ${KUBEPATH_SNAPSHOT:-demo/})"
exec npx next start -H 127.0.0.1 -p "$PORT"
