#!/usr/bin/env bash
# Installs everything and runs every kubepath test: unit + golden fixtures + property tests,
# kernel tests in network namespaces, the real-cluster lab, and the browser tests.
# Needs root (network namespaces, iptables-restore inside them).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CI="${CI:-1}"

bash scripts/install-deps.sh
if [ -x scripts/lab/build-k8s.sh ]; then bash scripts/lab/build-k8s.sh; fi

echo "== CLI bundle"; node scripts/build-cli.mjs
echo "== typecheck"; npx tsc --noEmit
echo "== unit, golden, property and kernel tests"; npx vitest run
if [ -f playwright.config.ts ]; then
  echo "== browser tests (Debian chromium)"; npx next build && npx playwright test
fi
echo "== all tests passed"
