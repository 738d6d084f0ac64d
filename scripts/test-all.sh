#!/usr/bin/env bash
# Installs everything and runs every kubepath check and test: format and lint first (cheap), then
# typecheck, unit + golden fixtures + property tests, kernel tests in network namespaces, the
# real-cluster lab, and the browser tests.
# Needs root (network namespaces, iptables-restore inside them). As root every suite can run here,
# so a skipped test fails the run (scripts/test-counts.mjs counts them from the runners' JSON reports).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CI="${CI:-1}"

bash scripts/install-deps.sh

# Cheap checks first: each takes seconds and needs no build.
echo "== format check (prettier)"; npx prettier --check . --log-level warn
echo "== layering and import circles (dependency-cruiser)"; npm run --silent lint:deps
echo "== typecheck"; npx tsc --noEmit
echo "== lint (eslint)"; npm run --silent lint:es

if [ -x scripts/lab/build-k8s.sh ]; then bash scripts/lab/build-k8s.sh; fi

echo "== CLI bundle"; node scripts/build-cli.mjs
# Not under test-results/: Playwright empties that folder when it starts.
reports=artifacts/test-counts
rm -rf "$reports" && mkdir -p "$reports"
status=0
# lib/parse and lib/trace run once, with coverage and its thresholds (vitest.config.ts); everything
# else runs once without. Both runs are counted; a failure in the first does not hide the second.
echo "== lib/parse and lib/trace tests, with coverage thresholds"
npx vitest run --coverage lib/parse lib/trace --reporter=default --reporter=json --outputFile="$reports/vitest-covered.json" || status=1
node scripts/test-counts.mjs vitest "$reports/vitest-covered.json" || status=1
echo "== all other unit, golden, property, kernel and lab tests"
KP_VITEST_WITHOUT_COVERED=1 npx vitest run --reporter=default --reporter=json --outputFile="$reports/vitest.json" || status=1
node scripts/test-counts.mjs vitest "$reports/vitest.json" || status=1
[ "$status" -eq 0 ] || { echo "== unit tests failed or were skipped (see the counts above)"; exit 1; }

if [ -f playwright.config.ts ]; then
  echo "== browser tests (Debian chromium)"
  npx next build
  PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" npx playwright test --reporter=list,json || status=1
  node scripts/test-counts.mjs playwright "$reports/playwright.json" || status=1
fi
[ "$status" -eq 0 ] || { echo "== browser tests failed or were skipped (see the counts above)"; exit 1; }
node scripts/test-counts.mjs --total "$reports"/*.json
echo "== all tests passed"
